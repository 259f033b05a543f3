"""No-op pipeline: writes its text input back as the output (dispatch-overhead baseline)."""

from function_runner import sdk


def handle(request: sdk.Request, model: object) -> None:
    sdk.output_path("echo.txt").write_text(str(request.inputs.get("text", "")), encoding="utf-8")
    sdk.write_outputs({"echo": "echo.txt"})


if __name__ == "__main__":
    sdk.run(handle)
