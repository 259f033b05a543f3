"""t2i-sd1.5: Stable Diffusion 1.5 text to image through diffusers' StableDiffusionPipeline."""

from __future__ import annotations

import diffusion_job as job
import torch
from diffusers import StableDiffusionPipeline

from function_runner import sdk


def load() -> job.Loaded:
    # SD 1.5's published weights are fp16; on the CPU it runs in fp32.
    return job.load(StableDiffusionPipeline, job.choose_runtime(gpu_dtype=torch.float16))


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    arguments = {
        "prompt": request.inputs["prompt"],
        "negative_prompt": request.inputs.get("negative_prompt") or None,
        "width": params["width"],
        "height": params["height"],
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],
    }
    with job.lora_loaded(model, request, params["lora_weight"]) as lora:
        job.make_image(model, request, arguments, recorded=lora)


if __name__ == "__main__":
    sdk.run(handle, load=load)
