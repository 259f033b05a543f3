"""edit-flux-kontext-dev: instruction editing with FLUX.1 Kontext [dev] through diffusers' FluxKontextPipeline:
a source image and an instruction in, the edited image out at the source's size."""

from __future__ import annotations

import diffusion_job as job
from diffusers import FluxKontextPipeline

from function_runner import sdk

SIDE_STEP = 16


def load() -> job.Loaded:
    return job.load(FluxKontextPipeline, job.choose_runtime())  # bf16, FLUX's own precision


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    source = job.input_image(request, "image", "source image")
    # An edit keeps the take's framing: the output is the source's size, its sides floored to FLUX's 16 px
    # (an 8x VAE, latents packed 2x2), and the source is not snapped to one of Kontext's ~1 MP training sizes.
    width, height = (side // SIDE_STEP * SIDE_STEP for side in source.size)
    arguments = {
        "image": source,
        "prompt": request.inputs["prompt"],
        "width": width,
        "height": height,
        "max_area": width * height,
        "_auto_resize": False,
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],
    }
    job.make_image(model, request, arguments)


if __name__ == "__main__":
    sdk.run(handle, load=load)
