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

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer, T5Config, T5EncoderModel, T5Tokenizer

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


def t5_text_encoder(tokenizer: T5Tokenizer) -> T5EncoderModel:
    config = T5Config(
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
    return T5EncoderModel(config)


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


BUILDERS: dict[str, Callable[[Path], None]] = {
    "stable-diffusion-v1-5": stable_diffusion_15,
}


def main(kind: str, dest: str) -> None:
    if kind not in BUILDERS:
        raise SystemExit(f"unknown tiny model {kind!r}; known: {', '.join(BUILDERS)}")
    torch.manual_seed(0)
    BUILDERS[kind](Path(dest))


if __name__ == "__main__":
    main(*sys.argv[1:])
