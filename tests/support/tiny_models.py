"""Tiny random-weight diffusers models, built in code and saved into a model store (nothing is downloaded).

Each builder makes the real pipeline class from small configs of the real component classes, with
tokenizers built offline, and `save_pretrained`s it: what a pipeline then loads with
`from_pretrained(folder, local_files_only=True)` is exactly the layout the real weights have. Weights
come from `torch.manual_seed(0)`, so a model is the same bytes every time.

It needs torch and diffusers, which the studio's own environment does not have: run it with a stack's
interpreter, `<stack venv>/bin/python -m tests.support.tiny_models KIND DEST` (tests use `build_tiny`
in tests/support/stack_models.py). Later issues add their kinds to BUILDERS.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from transformers import (
    CLIPTextConfig,
    CLIPTextModel,
    CLIPTokenizer,
    T5Config,
    T5EncoderModel,
    T5Tokenizer,
    UMT5Config,
    UMT5EncoderModel,
)

TEXT_DIM = 32  # every tiny text encoder's width; FLUX joint_attention_dim, Wan text_dim, LTX caption_channels


def byte_characters() -> list[str]:
    """The 256 printable stand-ins byte-level BPE uses for the bytes 0-255 (GPT-2's byte-to-unicode table)."""
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    extra = iter(range(256, 512))
    return [chr(b) if b in printable else chr(next(extra)) for b in range(256)]


def clip_tokenizer() -> CLIPTokenizer:
    """Byte-level CLIP tokenizer without merges: every character is a token (ids: bos 0, eos = pad 1)."""
    vocab = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for character in byte_characters():
        vocab[character] = len(vocab)
        vocab[character + "</w>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=77)


def clip_text_encoder(tokenizer: CLIPTokenizer, projection_dim: int | None = None) -> CLIPTextModel:
    extra: dict[str, Any] = {"projection_dim": projection_dim} if projection_dim else {}
    config = CLIPTextConfig(
        vocab_size=len(tokenizer),
        hidden_size=TEXT_DIM,
        intermediate_size=37,
        num_attention_heads=4,
        num_hidden_layers=2,
        max_position_embeddings=77,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        **extra,
    )
    return CLIPTextModel(config)


def t5_tokenizer() -> T5Tokenizer:
    """A unigram vocabulary of single letters and digits, word-initial and not (ids: pad 0, eos 1, unk 2)."""
    pieces: list[tuple[str, float]] = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), ("▁", -2.0)]
    for character in "abcdefghijklmnopqrstuvwxyz0123456789":
        pieces += [(f"▁{character}", -3.0), (character, -4.0)]
    return T5Tokenizer(vocab=pieces, extra_ids=0, model_max_length=128)


def t5_text_encoder(tokenizer: T5Tokenizer, umt5: bool = False) -> T5EncoderModel | UMT5EncoderModel:
    """T5's encoder (FLUX, LTX) or UMT5's (Wan), the same small shape."""
    config_class, model_class = (UMT5Config, UMT5EncoderModel) if umt5 else (T5Config, T5EncoderModel)
    config = config_class(
        vocab_size=len(tokenizer),
        d_model=TEXT_DIM,
        d_kv=8,
        d_ff=37,
        num_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    return model_class(config)


def stable_diffusion_15(dest: Path) -> None:
    """StableDiffusionPipeline: UNet, VAE (scale factor 2), CLIP text encoder, PNDM as SD 1.5 ships."""
    from diffusers import AutoencoderKL, PNDMScheduler, StableDiffusionPipeline, UNet2DConditionModel

    tokenizer = clip_tokenizer()
    pipeline = StableDiffusionPipeline(
        unet=UNet2DConditionModel(
            block_out_channels=(8, 16),
            layers_per_block=1,
            sample_size=16,
            in_channels=4,
            out_channels=4,
            down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
            up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
            cross_attention_dim=TEXT_DIM,
            attention_head_dim=4,
            norm_num_groups=4,
        ),
        vae=AutoencoderKL(
            block_out_channels=(8, 16),
            in_channels=3,
            out_channels=3,
            down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
            up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
            latent_channels=4,
            norm_num_groups=4,
        ),
        text_encoder=clip_text_encoder(tokenizer),
        tokenizer=tokenizer,
        scheduler=PNDMScheduler(skip_prk_steps=True, steps_offset=1),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.save_pretrained(dest)


def flux(dest: Path, *, guidance_embeds: bool) -> None:
    """FluxPipeline: FLUX.1-dev embeds the guidance scale, FLUX.1-schnell does not."""
    from diffusers import FluxPipeline

    FluxPipeline(**flux_parts(guidance_embeds=guidance_embeds)).save_pretrained(dest)


def flux_kontext(dest: Path) -> None:
    """FluxKontextPipeline: FLUX.1 Kontext [dev] has FLUX.1 [dev]'s components; the source image is its context."""
    from diffusers import FluxKontextPipeline

    FluxKontextPipeline(**flux_parts(guidance_embeds=True)).save_pretrained(dest)


def flux_parts(*, guidance_embeds: bool) -> dict[str, Any]:
    """FLUX.1's components: a one-block transformer, CLIP + T5 text encoders, a 4-channel VAE (scale factor 2);
    the guidance-embedding models (dev, Kontext) shift their schedule by image size."""
    from diffusers import AutoencoderKL, FlowMatchEulerDiscreteScheduler, FluxTransformer2DModel

    tokenizer = clip_tokenizer()
    tokenizer_2 = t5_tokenizer()
    scheduler = (
        FlowMatchEulerDiscreteScheduler(use_dynamic_shifting=True, base_shift=0.5, max_shift=1.15, shift=3.0)
        if guidance_embeds
        else FlowMatchEulerDiscreteScheduler(shift=1.0)
    )
    return dict(
        transformer=FluxTransformer2DModel(
            patch_size=1,
            in_channels=16,  # 4 latent channels packed 2x2
            num_layers=1,
            num_single_layers=1,
            attention_head_dim=16,
            num_attention_heads=2,
            joint_attention_dim=TEXT_DIM,
            pooled_projection_dim=TEXT_DIM,
            guidance_embeds=guidance_embeds,
            axes_dims_rope=(4, 6, 6),
        ),
        vae=AutoencoderKL(
            block_out_channels=(8, 16),
            in_channels=3,
            out_channels=3,
            down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
            up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
            latent_channels=4,
            norm_num_groups=4,
            use_quant_conv=False,
            use_post_quant_conv=False,
            shift_factor=0.0609,
            scaling_factor=1.5035,
        ),
        text_encoder=clip_text_encoder(tokenizer),
        tokenizer=tokenizer,
        text_encoder_2=t5_text_encoder(tokenizer_2),
        tokenizer_2=tokenizer_2,
        scheduler=scheduler,
    )


# The tiny Wan 2.1 transformer's shape: two layers of 2 heads x 12, patches of 2x2 (what the VACE variant extends).
TINY_WAN_TRANSFORMER: dict[str, Any] = {
    "patch_size": (1, 2, 2),
    "num_attention_heads": 2,
    "attention_head_dim": 12,
    "in_channels": 16,
    "out_channels": 16,
    "text_dim": TEXT_DIM,
    "freq_dim": 32,
    "ffn_dim": 32,
    "num_layers": 2,
    "cross_attn_norm": True,
    "qk_norm": "rms_norm_across_heads",
    "rope_max_seq_len": 32,
}


def wan_parts() -> dict[str, Any]:
    """Wan 2.1's components besides the transformer: the Wan VAE (8x spatial, 4x temporal), a UMT5 text encoder,
    UniPC with flow prediction as Wan 2.1 ships."""
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler

    tokenizer = t5_tokenizer()
    return {
        "vae": AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1),
        "text_encoder": t5_text_encoder(tokenizer, umt5=True),
        "tokenizer": tokenizer,
        "scheduler": UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0),
    }


def wan_21(dest: Path) -> None:
    """WanPipeline: the tiny transformer and Wan 2.1's other parts."""
    from diffusers import WanPipeline, WanTransformer3DModel

    transformer = WanTransformer3DModel(**TINY_WAN_TRANSFORMER)  # first: the same random weights as ever
    WanPipeline(transformer=transformer, **wan_parts()).save_pretrained(dest)


def ltx_parts() -> dict[str, Any]:
    """LTX-Video's components: a one-layer 3D transformer, the LTX VAE (8x spatial and temporal, as LTX's
    own, so frame counts are 8k+1), a T5 text encoder."""
    from diffusers import AutoencoderKLLTXVideo, FlowMatchEulerDiscreteScheduler, LTXVideoTransformer3DModel

    tokenizer = t5_tokenizer()
    levels = (True, True, True, False)
    return {
        "transformer": LTXVideoTransformer3DModel(
            in_channels=8,
            out_channels=8,
            patch_size=1,
            patch_size_t=1,
            num_attention_heads=4,
            attention_head_dim=8,
            cross_attention_dim=32,
            num_layers=1,
            caption_channels=TEXT_DIM,
        ),
        "vae": AutoencoderKLLTXVideo(
            latent_channels=8,
            block_out_channels=(8, 8, 8, 8),
            decoder_block_out_channels=(8, 8, 8, 8),
            layers_per_block=(1, 1, 1, 1, 1),
            decoder_layers_per_block=(1, 1, 1, 1, 1),
            spatio_temporal_scaling=levels,
            decoder_spatio_temporal_scaling=levels,
            decoder_inject_noise=(False,) * 5,
            upsample_residual=(False,) * 4,
            upsample_factor=(1,) * 4,
            timestep_conditioning=False,
            patch_size=1,
            patch_size_t=1,
            encoder_causal=True,
            decoder_causal=False,
        ),
        "text_encoder": t5_text_encoder(tokenizer),
        "tokenizer": tokenizer,
        "scheduler": FlowMatchEulerDiscreteScheduler(),
    }


def ltx_condition(dest: Path) -> None:
    """LTXConditionPipeline (LTX-Video 0.9.5+, the 13B's pipeline)."""
    from diffusers import LTXConditionPipeline

    LTXConditionPipeline(**ltx_parts()).save_pretrained(dest)


def ltx_image_to_video(dest: Path) -> None:
    from diffusers import LTXImageToVideoPipeline

    LTXImageToVideoPipeline(**ltx_parts()).save_pretrained(dest)


def ltx_latent_upsampler(dest: Path) -> None:
    """The spatial latent upsampler (2x) in its own folder, as Lightricks publishes it: the VAE is the main model's."""
    from diffusers.pipelines.ltx.modeling_latent_upsampler import LTXLatentUpsamplerModel

    upsampler = LTXLatentUpsamplerModel(in_channels=8, mid_channels=32, num_blocks_per_stage=1, dims=3)
    upsampler.save_pretrained(dest / "latent_upsampler")
    index = {"_class_name": "LTXLatentUpsamplePipeline", "latent_upsampler": ["ltx", "LTXLatentUpsamplerModel"]}
    (dest / "model_index.json").write_text(json.dumps({**index, "vae": [None, None]}))


BUILDERS: dict[str, Callable[[Path], None]] = {
    "LTX-Video-0.9.7-dev": ltx_condition,
    "ltxv-spatial-upscaler-0.9.7": ltx_latent_upsampler,
    "LTX-Video": ltx_image_to_video,
    "Wan2.1-T2V-1.3B-Diffusers": wan_21,
    "stable-diffusion-v1-5": stable_diffusion_15,
    "FLUX.1-schnell": lambda dest: flux(dest, guidance_embeds=False),
    "FLUX.1-dev": lambda dest: flux(dest, guidance_embeds=True),
    "FLUX.1-Kontext-dev": flux_kontext,
}


# Parts whose tiny models are built through this module's main, in this stack (they import its tokenizers and
# encoders, so they are imported here and not the other way round). Parts in another stack or with a main of their
# own are routed by tests/support/stack_models.py's BUILT_ELSEWHERE instead.
PART_MODULES = ("tests.support.tiny_motion",)


def all_builders() -> dict[str, Callable[[Path], None]]:
    """BUILDERS here and in each of PART_MODULES."""
    found = dict(BUILDERS)
    for module in PART_MODULES:
        found |= importlib.import_module(module).BUILDERS
    return found


def main(kind: str, dest: str) -> None:
    builders = all_builders()
    if kind not in builders:
        raise SystemExit(f"unknown tiny model {kind!r}; known: {', '.join(builders)}")
    torch.manual_seed(0)
    builders[kind](Path(dest))


if __name__ == "__main__":
    main(*sys.argv[1:])
