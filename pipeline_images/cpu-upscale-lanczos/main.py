"""CPU upscale: Lanczos resampling by an arbitrary factor (Pillow)."""

from PIL import Image

from function_runner import sdk

MAX_PIXELS = 64_000_000  # 8K x 8K: beyond this a CPU job would exhaust its memory limit


def handle(request: sdk.Request, model: object) -> None:
    scale = float(request.params["scale"])
    with Image.open(request.path("image")) as source:
        size = (max(1, round(source.width * scale)), max(1, round(source.height * scale)))
        if size[0] * size[1] > MAX_PIXELS:
            raise SystemExit(f"{size[0]}x{size[1]} is larger than {MAX_PIXELS} pixels; lower the scale")
        sdk.progress(20, "resampling")
        mode = "RGBA" if "A" in source.getbands() else "RGB"
        result = source.convert(mode).resize(size, Image.LANCZOS)
    result.save(sdk.output_path("upscaled.png"))
    sdk.write_outputs({"image": "upscaled.png"}, metadata={"width": size[0], "height": size[1], "scale": scale})


if __name__ == "__main__":
    sdk.run(handle)
