"""No-op pipeline served warm: the "model" is loaded once per worker (dispatch-overhead baseline)."""

import os

from function_runner import sdk


def load() -> dict[str, int]:
    return {"pid": os.getpid()}


def handle(request: sdk.Request, model: dict[str, int]) -> None:
    sdk.output_path("echo.txt").write_text(str(request.inputs.get("text", "")), encoding="utf-8")
    sdk.write_outputs({"echo": "echo.txt"}, metadata={"worker_pid": model["pid"]})


if __name__ == "__main__":
    sdk.run(handle, load=load)
