"""restore-spandrel: restoration networks from the model store (denoise, deblur, compression artefacts: SCUNet,
NAFNet, FBCNN, 1x ESRGAN …), loaded by spandrel, frame by frame over a video; the strength slider blends the
restored frame with the source (0: the source's own streams, copied). fps and audio are kept."""

from __future__ import annotations

import numpy as np
import spandrel_job as sr

from function_runner import sdk


def handle(request: sdk.Request, model: sr.Networks) -> None:
    strength = float(request.params["strength"])
    net = sr.network(model, request, purposes=("Restoration",))
    sr.start(net)

    if strength == 0:  # the source itself: its streams copied, not re-encoded; the network does not run
        sr.write_video_result(sr.copy_video(request.path("video")), sr.provenance(net, {"strength": strength}))
        return

    def restore(frame: np.ndarray) -> np.ndarray:
        restored = sr.apply(net, frame)
        if restored.shape != (*frame.shape[:2], 3):
            raise ValueError(f"{net.path.name} changes the frame size ({restored.shape}); use a 1x restoration network")
        return sr.to_uint8(frame / 255 + strength * (restored - frame / 255))

    info = sr.map_video(request.path("video"), lambda video: (video.width, video.height), restore)
    sr.write_video_result(info, sr.provenance(net, {"strength": strength}))


if __name__ == "__main__":
    sdk.run(handle, load=sr.load)
