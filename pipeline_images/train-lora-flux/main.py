"""train-lora-flux: a LoRA on FLUX.1's transformer from reference images (diffusers + peft), trained with FLUX's own
flow-matching objective; the loop, checkpoints and resume are the stack's (lora_training), and a sample is rendered
with the trained LoRA."""

from __future__ import annotations

from typing import Any

import diffusion_job as job
import lora_training as training
import torch
import torch.nn.functional as F
from diffusers import FluxPipeline
from peft import LoraConfig
from peft.utils import get_peft_model_state_dict

from function_runner import sdk

# The attention projections of the double- and single-stream blocks (the single ones have no to_out).
TARGET_MODULES = ["to_k", "to_q", "to_v", "to_out.0"]
GUIDANCE = 3.5  # FLUX.1 [dev] embeds a guidance scale; its LoRAs train at the scale it samples at
MAX_SEQUENCE_LENGTH = 256  # T5 tokens per caption: trigger word and short captions fit


def handle(request: sdk.Request, _model: object) -> None:
    params = request.params
    runtime = job.choose_runtime()  # bf16, FLUX's own precision; the LoRA weights train in fp32
    model = job.load(FluxPipeline, runtime)
    pipe = model.pipe
    images = [request.job_dir / "in" / name for name in request.inputs["images"]]
    captions = training.captions(params["trigger_word"], params["captions"], len(images))
    sdk.progress(3, "encoding the images and captions")
    batch = _encode(pipe, images, captions, params["resolution"], request.seed, runtime.device)

    transformer = pipe.transformer
    for part in (transformer, pipe.vae, pipe.text_encoder, pipe.text_encoder_2):
        part.requires_grad_(False)
    rank = params["rank"]
    transformer.add_adapter(
        LoraConfig(r=rank, lora_alpha=rank, init_lora_weights="gaussian", target_modules=TARGET_MODULES)
    )
    if "gradient_checkpointing" in runtime.savers:
        transformer.enable_gradient_checkpointing()
    state = training.start(transformer, request, runtime.savers)
    guidance = torch.full((1,), GUIDANCE, device=runtime.device) if transformer.config.guidance_embeds else None

    def step_loss(step: int, noise_generator: torch.Generator) -> torch.Tensor:
        """Flow matching: the image at a random point between itself and noise; the target is their difference."""
        index = step % len(images)
        clean = batch["latents"][index : index + 1]
        noise = torch.randn(clean.shape, generator=noise_generator).to(clean.device, clean.dtype)
        sigma = torch.sigmoid(torch.randn((1,), generator=noise_generator)).to(clean.device, clean.dtype)
        noisy = (1 - sigma) * clean + sigma * noise
        with torch.autocast(runtime.device, dtype=runtime.dtype, enabled=runtime.device == "cuda"):
            predicted = transformer(
                hidden_states=noisy,
                timestep=sigma,
                guidance=guidance,
                pooled_projections=batch["pooled"][index : index + 1],
                encoder_hidden_states=batch["prompt"][index : index + 1],
                txt_ids=batch["text_ids"],
                img_ids=batch["image_ids"],
                return_dict=False,
            )[0]
        return F.mse_loss(predicted.float(), (noise - clean).float())

    training.train(transformer, state, step_loss, params)
    sdk.progress(training.TRAIN_END, "saving the LoRA")
    out = sdk.output_path(training.LORA_FILE).parent
    lora = get_peft_model_state_dict(transformer)
    FluxPipeline.save_lora_weights(out, transformer_lora_layers=lora, weight_name=training.LORA_FILE)
    guidance_scale = GUIDANCE if guidance is not None else 0.0
    training.save_sample(
        pipe, params, request.seed, guidance_scale=guidance_scale, max_sequence_length=MAX_SEQUENCE_LENGTH
    )
    training.write_result(model, request, state, images, captions, TARGET_MODULES)


@torch.no_grad()
def _encode(
    pipe: Any, images: list[Any], captions: list[str], resolution: int, seed: int, device: str
) -> dict[str, torch.Tensor]:
    """Packed latents with their position ids, and the captions' T5 and pooled CLIP embeddings, once: the VAE and
    the text encoders stay frozen."""
    vae, dtype = pipe.vae, pipe.transformer.dtype
    pixels = torch.cat([training.pixels(path, resolution) for path in images]).to(device, vae.dtype)
    latents = vae.encode(pixels).latent_dist.sample(job.generator(seed).manual_seed(seed))
    latents = ((latents - vae.config.shift_factor) * vae.config.scaling_factor).to(dtype)
    count, channels, height, width = latents.shape
    prompt, pooled, text_ids = pipe.encode_prompt(
        prompt=captions, prompt_2=None, device=device, max_sequence_length=MAX_SEQUENCE_LENGTH
    )
    return {
        "latents": FluxPipeline._pack_latents(latents, count, channels, height, width),
        "image_ids": FluxPipeline._prepare_latent_image_ids(count, height // 2, width // 2, device, dtype),
        "prompt": prompt.to(dtype),
        "pooled": pooled.to(dtype),
        "text_ids": text_ids,
    }


if __name__ == "__main__":
    sdk.run(handle)
