"""The benchmark's models at their real architecture sizes (published configs), random weights, real dtype.

Built on the GPU (random init of 12 B parameters on a CPU takes too long) and saved in diffusers layout,
so the entrypoints load them exactly as they load the real weights. Tokenizers are the offline test ones
(tests/support/tiny_models.py): token ids stay in their small range, the embedding tables are full size.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from diffusers import (
    AutoencoderKL,
    AutoencoderKLLTXVideo,
    AutoencoderKLWan,
    FlowMatchEulerDiscreteScheduler,
    FluxKontextPipeline,
    FluxPipeline,
    FluxTransformer2DModel,
    LTXConditionPipeline,
    LTXImageToVideoPipeline,
    LTXVideoTransformer3DModel,
    PNDMScheduler,
    StableDiffusionPipeline,
    UNet2DConditionModel,
    UniPCMultistepScheduler,
    WanPipeline,
    WanTransformer3DModel,
)
from transformers import CLIPTextConfig, CLIPTextModel, T5Config, T5EncoderModel, UMT5Config, UMT5EncoderModel

from tests.support.tiny_models import clip_tokenizer, t5_tokenizer

FOUR_LEVELS_DOWN = ("DownEncoderBlock2D",) * 4
FOUR_LEVELS_UP = ("UpDecoderBlock2D",) * 4


def on_gpu(dtype: torch.dtype, build: Callable[[], Any]) -> Any:
    """Construct on the GPU directly in `dtype` (no fp32 copy on the host)."""
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device("cuda"):
            return build()
    finally:
        torch.set_default_dtype(previous)


def clip_l(tokenizer: Any) -> CLIPTextModel:
    """CLIP ViT-L/14's text tower (SD 1.5 and FLUX)."""
    config = CLIPTextConfig(
        vocab_size=49408,
        hidden_size=768,
        intermediate_size=3072,
        num_hidden_layers=12,
        num_attention_heads=12,
        max_position_embeddings=77,
        hidden_act="quick_gelu",
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    return CLIPTextModel(config)


def xxl_encoder(umt5: bool) -> T5EncoderModel | UMT5EncoderModel:
    """T5 v1.1 XXL's encoder (FLUX), or UMT5-XXL's (Wan): 4.7 B / 5.7 B parameters."""
    config_class, model_class = (UMT5Config, UMT5EncoderModel) if umt5 else (T5Config, T5EncoderModel)
    config = config_class(
        vocab_size=256384 if umt5 else 32128,
        d_model=4096,
        d_kv=64,
        d_ff=10240,
        num_layers=24,
        num_heads=64,
        feed_forward_proj="gated-gelu",
        relative_attention_num_buckets=32,
    )
    return model_class(config)


def stable_diffusion_15(dest: Path) -> None:
    tokenizer = clip_tokenizer()
    parts = on_gpu(
        torch.float16,
        lambda: {
            "unet": UNet2DConditionModel(sample_size=64, cross_attention_dim=768, attention_head_dim=8),
            "vae": AutoencoderKL(
                block_out_channels=(128, 256, 512, 512),
                down_block_types=FOUR_LEVELS_DOWN,
                up_block_types=FOUR_LEVELS_UP,
                layers_per_block=2,
                latent_channels=4,
                sample_size=512,
            ),
            "text_encoder": clip_l(tokenizer),
        },
    )
    scheduler = PNDMScheduler(
        beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", skip_prk_steps=True, steps_offset=1
    )
    StableDiffusionPipeline(
        **parts, tokenizer=tokenizer, scheduler=scheduler, safety_checker=None, feature_extractor=None,
        requires_safety_checker=False,
    ).save_pretrained(dest)  # fmt: skip


def flux(dest: Path, *, guidance_embeds: bool, pipeline_class: Any = FluxPipeline) -> None:
    """FLUX.1 [dev]/[schnell] (FluxPipeline), or Kontext [dev] (FluxKontextPipeline): the same components."""
    tokenizer, tokenizer_2 = clip_tokenizer(), t5_tokenizer()
    parts = on_gpu(
        torch.bfloat16,
        lambda: {
            "transformer": FluxTransformer2DModel(guidance_embeds=guidance_embeds),  # the defaults are FLUX.1's
            "vae": AutoencoderKL(
                block_out_channels=(128, 256, 512, 512),
                down_block_types=FOUR_LEVELS_DOWN,
                up_block_types=FOUR_LEVELS_UP,
                layers_per_block=2,
                latent_channels=16,
                use_quant_conv=False,
                use_post_quant_conv=False,
                scaling_factor=0.3611,
                shift_factor=0.1159,
            ),
            "text_encoder": clip_l(tokenizer),
            "text_encoder_2": xxl_encoder(umt5=False),
        },
    )
    scheduler = (
        FlowMatchEulerDiscreteScheduler(use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15, shift=3.0)
        if guidance_embeds
        else FlowMatchEulerDiscreteScheduler(shift=1.0)
    )
    pipeline_class(**parts, tokenizer=tokenizer, tokenizer_2=tokenizer_2, scheduler=scheduler).save_pretrained(dest)


def wan_21_13b(dest: Path) -> None:
    tokenizer = t5_tokenizer()
    parts = on_gpu(
        torch.bfloat16,
        lambda: {
            "transformer": WanTransformer3DModel(
                num_attention_heads=12, attention_head_dim=128, ffn_dim=8960, num_layers=30, text_dim=4096
            ),
            "text_encoder": xxl_encoder(umt5=True),
        },
    )
    vae = on_gpu(torch.float32, AutoencoderKLWan)  # the Wan VAE's defaults are Wan 2.1's; it runs in fp32
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0)
    WanPipeline(**parts, vae=vae, tokenizer=tokenizer, scheduler=scheduler).save_pretrained(dest)


def ltx(dest: Path, pipeline_class: Any, transformer: dict[str, int]) -> None:
    """LTX-Video: the transformer at the given size (the class defaults are the 2B model), the LTX VAE."""
    tokenizer = t5_tokenizer()
    parts = on_gpu(
        torch.bfloat16,
        lambda: {
            "transformer": LTXVideoTransformer3DModel(**transformer),
            "vae": AutoencoderKLLTXVideo(),
            "text_encoder": xxl_encoder(umt5=False),
        },
    )
    pipeline_class(**parts, tokenizer=tokenizer, scheduler=FlowMatchEulerDiscreteScheduler()).save_pretrained(dest)


# LTX-Video 0.9.7 13B: 48 layers of 32 heads x 128 (inner width 4096), captions of T5's 4096.
LTX_13B = {"num_layers": 48, "num_attention_heads": 32, "attention_head_dim": 128, "cross_attention_dim": 4096}

REAL_SIZE: dict[str, Callable[[Path], None]] = {
    "LTX-Video-0.9.7-dev": lambda dest: ltx(dest, LTXConditionPipeline, LTX_13B),
    "LTX-Video": lambda dest: ltx(dest, LTXImageToVideoPipeline, {}),
    "stable-diffusion-v1-5": stable_diffusion_15,
    "FLUX.1-schnell": lambda dest: flux(dest, guidance_embeds=False),
    "FLUX.1-dev": lambda dest: flux(dest, guidance_embeds=True),
    "FLUX.1-Kontext-dev": lambda dest: flux(dest, guidance_embeds=True, pipeline_class=FluxKontextPipeline),
    "Wan2.1-T2V-1.3B-Diffusers": wan_21_13b,
}


# Motion transfer (issue 18): Wan 2.1 VACE 1.3B, the 1.3B Wan with VACE blocks on every second of its 30 layers.
def wan_21_vace_13b(dest: Path) -> None:
    from diffusers import WanVACEPipeline, WanVACETransformer3DModel

    tokenizer = t5_tokenizer()
    parts = on_gpu(
        torch.bfloat16,
        lambda: {
            "transformer": WanVACETransformer3DModel(
                num_attention_heads=12,
                attention_head_dim=128,
                ffn_dim=8960,
                num_layers=30,
                text_dim=4096,
                vace_layers=list(range(0, 30, 2)),
                vace_in_channels=96,
            ),
            "text_encoder": xxl_encoder(umt5=True),
        },
    )
    vae = on_gpu(torch.float32, AutoencoderKLWan)
    scheduler = UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0)
    WanVACEPipeline(**parts, vae=vae, tokenizer=tokenizer, scheduler=scheduler).save_pretrained(dest)


REAL_SIZE["Wan2.1-VACE-1.3B-diffusers"] = wan_21_vace_13b
