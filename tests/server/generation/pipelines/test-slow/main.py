"""Test pipeline that works slowly: ten progress steps over `seconds`, then a grey image."""

import time

from PIL import Image

from function_runner import sdk


def handle(request: sdk.Request, model: object) -> None:
    seconds = float(request.params.get("seconds", 4))
    for step in range(10):
        sdk.progress(step * 10, f"step {step + 1}/10")
        time.sleep(seconds / 10)
    Image.new("RGB", (32, 18), (128, 128, 128)).save(sdk.output_path("image.png"))
    sdk.write_outputs({"image": "image.png"})


if __name__ == "__main__":
    sdk.run(handle)
