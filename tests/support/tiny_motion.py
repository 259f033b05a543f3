"""Tiny random-weight models for motion transfer (Wan 2.1 VACE), built like tests/support/tiny_models.py's
(run in the stack's interpreter; `tiny_models.main` finds the kinds in BUILDERS here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support.tiny_models import TEXT_DIM, t5_text_encoder, t5_tokenizer


def wan_21_vace(dest: Path) -> None:
    """WanVACEPipeline: the tiny Wan 2.1 of tiny_models.wan_21 plus VACE blocks on both layers. The VACE input is
    the control video's latents twice (inactive and reactive: 2 x 16 channels) and the mask folded 8x8 (64)."""
    from diffusers import AutoencoderKLWan, UniPCMultistepScheduler, WanVACEPipeline, WanVACETransformer3DModel

    tokenizer = t5_tokenizer()
    pipeline = WanVACEPipeline(
        transformer=WanVACETransformer3DModel(
            patch_size=(1, 2, 2),
            num_attention_heads=2,
            attention_head_dim=12,
            in_channels=16,
            out_channels=16,
            text_dim=TEXT_DIM,
            freq_dim=32,
            ffn_dim=32,
            num_layers=2,
            cross_attn_norm=True,
            qk_norm="rms_norm_across_heads",
            rope_max_seq_len=32,
            vace_layers=[0, 1],
            vace_in_channels=96,
        ),
        vae=AutoencoderKLWan(base_dim=3, z_dim=16, dim_mult=[1, 1, 1, 1], num_res_blocks=1),
        text_encoder=t5_text_encoder(tokenizer, umt5=True),
        tokenizer=tokenizer,
        scheduler=UniPCMultistepScheduler(prediction_type="flow_prediction", use_flow_sigmas=True, flow_shift=3.0),
    )
    pipeline.save_pretrained(dest)


BUILDERS: dict[str, Callable[[Path], None]] = {"Wan2.1-VACE-1.3B-diffusers": wan_21_vace}
