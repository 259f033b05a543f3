"""sr-spandrel: super-resolution with an upscaling network from the model store, loaded by spandrel (ESRGAN, SwinIR,
HAT, DAT …): the network's native scale, then Lanczos to the exact factor asked for; an image, or a video frame by
frame with its fps and audio kept. Large frames run in tiles sized for the GPU's memory."""

from __future__ import annotations

import numpy as np
import spandrel_job as sr
from PIL import Image

from function_runner import sdk

MAX_PIXELS = 8192 * 8192  # an output beyond 8K x 8K would exhaust any tier's memory


def target_size(width: int, height: int, scale: float) -> tuple[int, int]:
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    if size[0] * size[1] > MAX_PIXELS:
        raise ValueError(f"{width}x{height} at scale {scale} gives {size[0]}x{size[1]}, over 8K x 8K; lower the scale")
    return size


def handle(request: sdk.Request, model: sr.Networks) -> None:
    given = [name for name in ("image", "video") if request.inputs.get(name)]
    if len(given) != 1:
        raise ValueError(f"connect either an image or a video to upscale, got {' and '.join(given) or 'neither'}")
    scale = float(request.params["scale"])
    net = sr.network(model, request, purposes=("SR",))
    sr.start(net)
    arguments = {"scale": scale}
    if given == ["image"]:
        with Image.open(request.path("image")) as source:
            pixels = np.asarray(source.convert("RGB"))
        size = target_size(pixels.shape[1], pixels.shape[0], scale)
        sdk.progress(sr.FRAMES_START, "upscaling")
        upscaled = sr.resample(sr.to_uint8(sr.apply(net, pixels)), size)
        sr.write_image(upscaled, sr.provenance(net, arguments))
        return
    info = sr.map_video(
        request.path("video"),
        lambda video: target_size(video.width, video.height, scale),
        lambda frame: sr.resample(
            sr.to_uint8(sr.apply(net, frame)), target_size(frame.shape[1], frame.shape[0], scale)
        ),
    )
    sr.write_video_result(info, sr.provenance(net, arguments))


if __name__ == "__main__":
    sdk.run(handle, load=sr.load)
