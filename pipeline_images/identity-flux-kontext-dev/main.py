"""identity-flux-kontext-dev: an image that keeps the character of a reference image, with FLUX.1 Kontext [dev]
through diffusers' FluxKontextPipeline, optionally with the character's trained FLUX LoRA on top."""

from __future__ import annotations

import diffusion_job as job
from diffusers import FluxKontextPipeline
from PIL import Image

from function_runner import sdk


def load() -> job.Loaded:
    return job.load(FluxKontextPipeline, job.choose_runtime())  # bf16, FLUX's own precision


def at_area(image: Image.Image, area: int) -> Image.Image:
    """`image` scaled (aspect kept) to `area` pixels: Kontext learnt from pairs whose context and result have the
    same size, so the reference is seen at the scale the new image draws it."""
    scale = (area / (image.width * image.height)) ** 0.5
    return image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    width, height = params["width"], params["height"]
    reference = job.input_image(request, "image", "reference image")
    arguments = {
        "image": at_area(reference, width * height),
        "prompt": request.inputs["prompt"],
        "width": width,
        "height": height,
        "max_area": width * height,
        "_auto_resize": False,  # sized above instead of snapped to Kontext's ~1 MP training sizes
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],
    }
    with job.lora_loaded(model, request, params["lora_weight"]) as lora:
        job.make_image(model, request, arguments, recorded=lora)


if __name__ == "__main__":
    sdk.run(handle, load=load)
