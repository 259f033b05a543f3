"""t2v-ltx-13b: LTX-Video 0.9.7 (13B) text to video through diffusers' LTXConditionPipeline, with the 2x
latent upsampler when the model store has it: a first pass at 2/3 size, the latents upsampled, a short
refining pass at full size (Lightricks' recipe for 0.9.7)."""

from __future__ import annotations

from typing import Any

import diffusion_job as job
import numpy as np
from diffusers import LTXConditionPipeline
from diffusers.pipelines.ltx.pipeline_ltx_latent_upsample import LTXLatentUpsamplePipeline
from PIL import Image

from function_runner import sdk

FRAME_STEP = 8  # the VAE packs 8 frames into one latent frame: counts are 8k+1
SIZE_MULTIPLE = 32  # what LTXConditionPipeline accepts for width and height
FIRST_PASS_SCALE = 2 / 3
REFINE_STRENGTH = 0.4  # how much of the upsampled video the refining pass re-noises


def load() -> tuple[job.Loaded, Any]:
    runtime = job.choose_runtime()  # bf16
    model = job.load(LTXConditionPipeline, runtime)
    upsampler_folder = sdk.weights_folder(1)  # optional: used when present
    upsampler = None
    if (upsampler_folder / "latent_upsampler").is_dir():
        upsampler = LTXLatentUpsamplePipeline.from_pretrained(
            upsampler_folder, vae=model.pipe.vae, dtype=runtime.dtype, local_files_only=True
        ).to(runtime.device)
        upsampler.set_progress_bar_config(disable=True)
    return model, upsampler


def handle(request: sdk.Request, loaded: tuple[job.Loaded, Any]) -> None:
    model, upsampler = loaded
    params = request.params
    if (params["frames"] - 1) % FRAME_STEP:
        raise ValueError(f"frames must be 8k+1 (e.g. 97 or 121), got {params['frames']}")
    common = {
        "prompt": request.inputs["prompt"],
        "negative_prompt": request.inputs.get("negative_prompt") or None,
        "num_frames": params["frames"],
        "frame_rate": params["fps"],
        "guidance_scale": params["guidance"],
    }
    width, height = params["width"], params["height"]
    generator = job.generator(request.seed)
    job.start_job(model)
    if upsampler is None:
        arguments = {**common, "width": width, "height": height, "num_inference_steps": params["steps"]}
        frames = model.pipe(
            **arguments, output_type="np", generator=generator, callback_on_step_end=job.on_step_end
        ).frames[0]
    else:
        arguments, frames = two_passes(model, upsampler, common, params, generator)
        frames = resized(frames, width, height)
    recorded = {**arguments, "latent_upsampler": upsampler is not None, "seed": request.seed, "fps": params["fps"]}
    job.write_video(frames, params["fps"], job.provenance(model, recorded))


def two_passes(
    model: job.Loaded, upsampler: Any, common: dict[str, Any], params: dict[str, Any], generator: Any
) -> tuple[dict[str, Any], Any]:
    """Denoise at 2/3 size, upsample the latents 2x, refine at that size; the call arguments and the frames."""
    multiple = SIZE_MULTIPLE
    low_width = max(multiple, int(params["width"] * FIRST_PASS_SCALE) // multiple * multiple)
    low_height = max(multiple, int(params["height"] * FIRST_PASS_SCALE) // multiple * multiple)
    latents = model.pipe(
        **common,
        width=low_width,
        height=low_height,
        num_inference_steps=params["steps"],
        output_type="latent",
        generator=generator,
        callback_on_step_end=job.step_callback(job.DENOISE_START, 60),
    ).frames
    sdk.progress(62, "upsampling the latents 2x")
    latents = upsampler(latents=latents, output_type="latent").frames
    refine = {
        "width": low_width * 2,
        "height": low_height * 2,
        "num_inference_steps": params["refine_steps"],
        "denoise_strength": REFINE_STRENGTH,
        "decode_timestep": 0.05,
        "image_cond_noise_scale": 0.025,
    }
    frames = model.pipe(
        **common,
        **refine,
        latents=latents,
        output_type="np",
        generator=generator,
        callback_on_step_end=job.step_callback(65, job.DENOISE_END, "refine"),
    ).frames[0]
    first = {"first_pass_width": low_width, "first_pass_height": low_height, "num_inference_steps": params["steps"]}
    return {**common, **first, "refine": refine, "width": params["width"], "height": params["height"]}, frames


def resized(frames: Any, width: int, height: int) -> Any:
    """The refined video at exactly the requested size (the upsampled size is a multiple of the VAE's)."""
    if frames.shape[1:3] == (height, width):
        return frames
    pixels = (np.asarray(frames).clip(0, 1) * 255).round().astype(np.uint8)
    return [Image.fromarray(frame).resize((width, height), Image.Resampling.LANCZOS) for frame in pixels]


if __name__ == "__main__":
    sdk.run(handle, load=load)
