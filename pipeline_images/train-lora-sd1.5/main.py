"""train-lora-sd1.5: a LoRA on Stable Diffusion 1.5's UNet from reference images (diffusers + peft), the loss
reported per step, a checkpoint every `checkpoint_every` steps, and a sample rendered with the trained LoRA."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import diffusion_job as job
import numpy as np
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler, StableDiffusionPipeline
from diffusers.utils import convert_state_dict_to_diffusers
from peft import LoraConfig
from peft.utils import get_peft_model_state_dict
from PIL import Image
from safetensors.torch import save_file

from function_runner import sdk

# The attention projections of the UNet: where DreamBooth-LoRA recipes put the adapters.
TARGET_MODULES = ["to_k", "to_q", "to_v", "to_out.0"]
TRAIN_START, TRAIN_END = 5.0, 90.0  # progress spans: loading and encoding before, the sample after
LORA_FILE, SAMPLE_FILE, CHECKPOINT_FILE = "lora.safetensors", "sample.png", "checkpoint.safetensors"


def handle(request: sdk.Request, _model: object) -> None:
    params = request.params
    # bf16 where the GPU has it (no loss scaling needed), else fp16; the LoRA weights themselves train in fp32.
    runtime = job.choose_runtime(gpu_dtype=torch.bfloat16)
    savers = runtime.savers
    model = job.load(StableDiffusionPipeline, runtime, safety_checker=None, requires_safety_checker=False)
    pipe = model.pipe
    images = [request.job_dir / "in" / name for name in request.inputs["images"]]
    captions = _captions(params["trigger_word"], params["captions"], len(images))
    sdk.progress(3, "encoding the images and captions")
    latents, embeddings = _encode(pipe, images, captions, params["resolution"], request.seed, runtime.device)

    unet = pipe.unet
    for part in (unet, pipe.vae, pipe.text_encoder):
        part.requires_grad_(False)
    rank = params["rank"]
    unet.add_adapter(LoraConfig(r=rank, lora_alpha=rank, init_lora_weights="gaussian", target_modules=TARGET_MODULES))
    trained = [p for p in unet.parameters() if p.requires_grad]
    for parameter in trained:
        parameter.data = parameter.data.float()
    if "gradient_checkpointing" in savers:
        unet.enable_gradient_checkpointing()
    optimizer = _Optimizer(trained, params["learning_rate"], offload="optimizer_cpu_offload" in savers)
    noise_scheduler = DDPMScheduler.from_config(pipe.scheduler.config)
    losses = _train(unet, noise_scheduler, optimizer, latents, embeddings, params, request.seed, runtime)

    sdk.progress(TRAIN_END, "saving the LoRA")
    lora = convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    out = sdk.output_path(LORA_FILE).parent
    StableDiffusionPipeline.save_lora_weights(out, unet_lora_layers=lora, weight_name=LORA_FILE)
    sample = _sample(pipe, params, request.seed)
    sample.save(sdk.output_path(SAMPLE_FILE), format="PNG")
    sdk.output_path(CHECKPOINT_FILE).unlink(missing_ok=True)  # the final weights supersede it
    arguments = {k: v for k, v in params.items() if k != "captions"}
    sdk.write_outputs(
        {"lora": LORA_FILE, "sample": SAMPLE_FILE},
        metadata={
            "losses": losses,
            "captions": captions,
            "dataset_sha256": [hashlib.sha256(path.read_bytes()).hexdigest() for path in images],
            "target_modules": TARGET_MODULES,
            "provenance": job.provenance(model, {**arguments, "seed": request.seed}),
        },
    )


def _captions(trigger_word: str, extra: list[str], count: int) -> list[str]:
    if len(extra) not in (0, count):
        raise ValueError(f"{len(extra)} captions for {count} images: send one per image (or none)")
    return [", ".join(filter(None, (trigger_word, (extra[i] if extra else "").strip()))) for i in range(count)]


def _pixels(path: Path, resolution: int) -> torch.Tensor:
    """The image's centre square at `resolution`, as the VAE takes it: 1x3xHxW in [-1, 1]."""
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((resolution, resolution), Image.Resampling.LANCZOS)
    array = np.asarray(image, dtype=np.float32) / 127.5 - 1.0
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0)


@torch.no_grad()
def _encode(
    pipe: Any, images: list[Path], captions: list[str], resolution: int, seed: int, device: str
) -> tuple[torch.Tensor, torch.Tensor]:
    """Latents and text embeddings, once: the VAE and the text encoder stay frozen."""
    vae, dtype = pipe.vae, pipe.unet.dtype
    pixels = torch.cat([_pixels(path, resolution) for path in images]).to(device, dtype)
    latents = vae.encode(pixels).latent_dist.sample(job.generator(seed).manual_seed(seed)) * vae.config.scaling_factor
    tokens = pipe.tokenizer(
        captions, padding="max_length", max_length=pipe.tokenizer.model_max_length, truncation=True, return_tensors="pt"
    ).input_ids.to(device)
    return latents, pipe.text_encoder(tokens)[0]


class _Optimizer:
    """AdamW over the LoRA weights; with `offload`, its state and a fp32 master copy of the weights live in CPU
    memory and each step runs there (the 12 GB recipe: the GPU holds only the weights and their gradients)."""

    def __init__(self, parameters: list[torch.nn.Parameter], learning_rate: float, offload: bool) -> None:
        self.parameters = parameters
        self.master = [p.detach().to("cpu", copy=True).requires_grad_(True) for p in parameters] if offload else None
        self.inner = torch.optim.AdamW(self.master or parameters, lr=learning_rate, weight_decay=1e-2)

    def step(self) -> None:
        if self.master is not None:
            for master, parameter in zip(self.master, self.parameters, strict=True):
                master.grad = None if parameter.grad is None else parameter.grad.to("cpu")
        self.inner.step()
        self.inner.zero_grad(set_to_none=True)
        if self.master is not None:
            with torch.no_grad():
                for master, parameter in zip(self.master, self.parameters, strict=True):
                    parameter.copy_(master)
                    parameter.grad = None


def _train(
    unet: Any,
    noise_scheduler: Any,
    optimizer: _Optimizer,
    latents: torch.Tensor,
    embeddings: torch.Tensor,
    params: dict[str, Any],
    seed: int,
    runtime: job.Runtime,
) -> list[float]:
    """The denoising objective, one image per step in turn; returns the loss of every step."""
    steps, every = params["steps"], params["checkpoint_every"]
    noise_generator = torch.Generator(device="cpu").manual_seed(seed)
    prediction = noise_scheduler.config.prediction_type
    unet.train()
    losses: list[float] = []
    for step in range(steps):
        if sdk.cancel_requested():
            raise job.Cancelled(f"cancelled after training step {step}/{steps}")
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
        loss = F.mse_loss(predicted.float(), target.float())
        loss.backward()
        optimizer.step()
        value = round(float(loss.detach()), 6)
        losses.append(value)
        done = step + 1
        sdk.progress(
            TRAIN_START + (TRAIN_END - TRAIN_START) * done / steps,
            f"training step {done}/{steps}",
            metrics={"loss": value, "training_step": done},
        )
        if done % every == 0 and done < steps:
            _checkpoint(unet)
    unet.eval()
    return losses


def _checkpoint(unet: Any) -> None:
    """The LoRA so far, replaced whole each time (a reader never sees half of it)."""
    target = sdk.output_path(CHECKPOINT_FILE)
    partial = target.with_name(f".{CHECKPOINT_FILE}.partial")
    state = convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    save_file({k: v.detach().contiguous().cpu() for k, v in state.items()}, str(partial))
    partial.replace(target)


@torch.no_grad()
def _sample(pipe: Any, params: dict[str, Any], seed: int) -> Image.Image:
    """The trigger word rendered by the pipeline whose UNet carries the trained adapter."""
    sdk.progress(TRAIN_END + 2, "rendering a sample")
    result = pipe(
        prompt=params["trigger_word"],
        width=params["resolution"],
        height=params["resolution"],
        num_inference_steps=params["sample_steps"],
        generator=job.generator(seed),
        callback_on_step_end=job.step_callback(TRAIN_END + 2, 99, "sample step"),
    )
    image: Image.Image = result.images[0]
    return image


if __name__ == "__main__":
    sdk.run(handle)
