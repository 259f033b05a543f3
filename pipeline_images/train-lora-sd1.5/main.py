"""train-lora-sd1.5: a LoRA on Stable Diffusion 1.5's UNet from reference images (diffusers + peft), trained with the
denoising objective; the loop, checkpoints of the whole training state and resume are the stack's (lora_training),
and a sample is rendered with the trained LoRA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import diffusion_job as job
import lora_training as training
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, StableDiffusionPipeline
from diffusers.utils import convert_state_dict_to_diffusers
from peft import LoraConfig
from peft.utils import get_peft_model_state_dict

from function_runner import sdk

# The attention projections of the UNet: where DreamBooth-LoRA recipes put the adapters.
TARGET_MODULES = ["to_k", "to_q", "to_v", "to_out.0"]


def handle(request: sdk.Request, _model: object) -> None:
    params = request.params
    # bf16 where the GPU has it (no loss scaling needed), else fp16; the LoRA weights themselves train in fp32.
    runtime = job.choose_runtime(gpu_dtype=torch.bfloat16)
    model = job.load(StableDiffusionPipeline, runtime, safety_checker=None, requires_safety_checker=False)
    pipe = model.pipe
    images = [request.job_dir / "in" / name for name in request.inputs["images"]]
    captions = training.captions(params["trigger_word"], params["captions"], len(images))
    sdk.progress(3, "encoding the images and captions")
    latents, embeddings = _encode(pipe, images, captions, params["resolution"], request.seed, runtime.device)

    unet = pipe.unet
    for part in (unet, pipe.vae, pipe.text_encoder):
        part.requires_grad_(False)
    rank = params["rank"]
    unet.add_adapter(LoraConfig(r=rank, lora_alpha=rank, init_lora_weights="gaussian", target_modules=TARGET_MODULES))
    if "gradient_checkpointing" in runtime.savers:
        unet.enable_gradient_checkpointing()
    state = training.start(unet, request, runtime.savers)
    noise_scheduler = DDPMScheduler.from_config(pipe.scheduler.config)
    prediction = noise_scheduler.config.prediction_type

    def step_loss(step: int, noise_generator: torch.Generator) -> torch.Tensor:
        """Denoising: one image per step in turn, noised at a random timestep."""
        index = step % latents.shape[0]
        clean = latents[index : index + 1]
        noise = torch.randn(clean.shape, generator=noise_generator).to(clean.device, clean.dtype)
        timestep = torch.randint(0, noise_scheduler.config.num_train_timesteps, (1,), generator=noise_generator).to(
            clean.device
        )
        noisy = noise_scheduler.add_noise(clean, noise, timestep)
        target = noise if prediction == "epsilon" else noise_scheduler.get_velocity(clean, noise, timestep)
        with torch.autocast(runtime.device, dtype=runtime.dtype, enabled=runtime.device == "cuda"):
            predicted = unet(noisy, timestep, embeddings[index : index + 1]).sample
        return F.mse_loss(predicted.float(), target.float())

    training.train(unet, state, step_loss, params)
    sdk.progress(training.TRAIN_END, "saving the LoRA")
    lora = convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    out = sdk.output_path(training.LORA_FILE).parent
    StableDiffusionPipeline.save_lora_weights(out, unet_lora_layers=lora, weight_name=training.LORA_FILE)
    training.save_sample(pipe, params, request.seed)
    training.write_result(model, request, state, images, captions, TARGET_MODULES)


@torch.no_grad()
def _encode(
    pipe: Any, images: list[Path], captions: list[str], resolution: int, seed: int, device: str
) -> tuple[torch.Tensor, torch.Tensor]:
    """Latents and text embeddings, once: the VAE and the text encoder stay frozen."""
    vae, dtype = pipe.vae, pipe.unet.dtype
    pixels = torch.cat([training.pixels(path, resolution) for path in images]).to(device, dtype)
    latents = vae.encode(pixels).latent_dist.sample(job.generator(seed).manual_seed(seed)) * vae.config.scaling_factor
    tokens = pipe.tokenizer(
        captions, padding="max_length", max_length=pipe.tokenizer.model_max_length, truncation=True, return_tensors="pt"
    ).input_ids.to(device)
    return latents, pipe.text_encoder(tokens)[0]


if __name__ == "__main__":
    sdk.run(handle)
