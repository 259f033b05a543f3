"""i2v-ltx: LTX-Video image to video through diffusers' LTXImageToVideoPipeline: a start image, animated."""

from __future__ import annotations

import diffusion_job as job
from diffusers import LTXImageToVideoPipeline
from PIL import Image

from function_runner import sdk

FRAME_STEP = 8  # the VAE packs 8 frames into one latent frame: counts are 8k+1


def load() -> job.Loaded:
    return job.load(LTXImageToVideoPipeline, job.choose_runtime())  # bf16


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    if (params["frames"] - 1) % FRAME_STEP:
        raise ValueError(f"frames must be 8k+1 (e.g. 97 or 121), got {params['frames']}")
    with Image.open(request.path("image")) as start:
        image = start.convert("RGB")
    arguments = {
        "image": image,
        "prompt": request.inputs["prompt"],
        "negative_prompt": request.inputs.get("negative_prompt") or None,
        "width": params["width"],
        "height": params["height"],
        "num_frames": params["frames"],
        "frame_rate": params["fps"],
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],
        "output_type": "np",
    }
    job.make_video(model, request, arguments, params["fps"])


if __name__ == "__main__":
    sdk.run(handle, load=load)
