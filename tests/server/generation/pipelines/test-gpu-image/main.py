"""Test stand-in for a GPU text-to-image pipeline: a 64x36 image in a colour derived from the prompt."""

import hashlib

from PIL import Image

from function_runner import sdk


def handle(request: sdk.Request, model: object) -> None:
    digest = hashlib.sha256(str(request.inputs["prompt"]).encode()).digest()
    sdk.progress(50, "drawing")
    Image.new("RGB", (64, 36), tuple(digest[:3])).save(sdk.output_path("image.png"))
    sdk.write_outputs({"image": "image.png"})


if __name__ == "__main__":
    sdk.run(handle)
