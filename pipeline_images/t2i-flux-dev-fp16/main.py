"""t2i-flux-dev-fp16: FLUX.1 [dev], full unquantized 16-bit weights, text to image through diffusers' FluxPipeline."""

from __future__ import annotations

import diffusion_job as job
from diffusers import FluxPipeline

from function_runner import sdk


def load() -> job.Loaded:
    # 16-bit and unquantized: bf16 (FLUX's own precision), fp16 only on GPUs without bf16.
    return job.load(FluxPipeline, job.choose_runtime())


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    arguments = {
        "prompt": request.inputs["prompt"],
        "width": params["width"],
        "height": params["height"],
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],  # dev embeds the guidance scale (distilled CFG)
        "max_sequence_length": 512,
    }
    with job.lora_loaded(model, request, params["lora_weight"]) as lora:
        job.make_image(model, request, arguments, recorded=lora)


if __name__ == "__main__":
    sdk.run(handle, load=load)
