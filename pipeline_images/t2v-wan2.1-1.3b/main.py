"""t2v-wan2.1-1.3b: Wan 2.1 (1.3B) text to video through diffusers' WanPipeline, an MP4 at Wan's own 16 fps."""

from __future__ import annotations

import diffusion_job as job
import torch
from diffusers import AutoencoderKLWan, WanPipeline

from function_runner import sdk

FPS = 16  # what Wan 2.1 was trained on
FRAME_STEP = 4  # the VAE packs 4 frames into one latent frame: counts are 4k+1


def load() -> job.Loaded:
    runtime = job.choose_runtime()  # bf16 transformer and text encoder
    # The Wan VAE decodes in fp32 (the model's recommended use): fp16/bf16 decoding loses detail.
    vae = AutoencoderKLWan.from_pretrained(sdk.weights_folder() / "vae", dtype=torch.float32, local_files_only=True)
    return job.load(WanPipeline, runtime, vae=vae)


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    if (params["frames"] - 1) % FRAME_STEP:
        raise ValueError(f"frames must be 4k+1 (e.g. 33, 49 or 81), got {params['frames']}")
    arguments = {
        "prompt": request.inputs["prompt"],
        "negative_prompt": request.inputs.get("negative_prompt") or None,
        "width": params["width"],
        "height": params["height"],
        "num_frames": params["frames"],
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],
        "output_type": "np",
    }
    job.make_video(model, request, arguments, FPS)


if __name__ == "__main__":
    sdk.run(handle, load=load)
