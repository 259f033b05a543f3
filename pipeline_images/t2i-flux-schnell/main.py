"""t2i-flux-schnell: FLUX.1 [schnell] text to image through diffusers' FluxPipeline (4 steps, no guidance)."""

from __future__ import annotations

import diffusion_job as job
from diffusers import FluxPipeline

from function_runner import sdk


def load() -> job.Loaded:
    return job.load(FluxPipeline, job.choose_runtime())  # bf16, FLUX's own precision


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    arguments = {
        "prompt": request.inputs["prompt"],
        "width": params["width"],
        "height": params["height"],
        "num_inference_steps": params["steps"],
        "guidance_scale": 0.0,  # timestep-distilled: schnell takes no guidance
        "max_sequence_length": 256,  # schnell's T5 prompt length
    }
    with job.lora_loaded(model, request, params["lora_weight"]) as lora:
        job.make_image(model, request, arguments, recorded=lora)


if __name__ == "__main__":
    sdk.run(handle, load=load)
