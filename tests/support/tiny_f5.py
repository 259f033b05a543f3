"""Tiny random-weight F5-TTS and vocos models, built in code in the layouts tts-f5 loads from the model store.

`F5TTS_v1_Base`: a two-block DiT inside the package's CFM, saved as the released checkpoints are (EMA weights,
`ema_model.` keys, safetensors) with a small `vocab.txt` and its architecture as `config.yaml` (the package's
config format). `vocos-mel-24khz`: a two-layer Vocos with the real 24 kHz mel front end and iSTFT head
(`config.yaml` + `pytorch_model.bin`, as charactr/vocos-mel-24khz). Weights come from `torch.manual_seed(0)`.

Run in the f5 stack's interpreter: `<stack venv>/bin/python -m tests.support.tiny_f5 KIND DEST`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

import torch
import yaml
from f5_tts.model import CFM, DiT
from f5_tts.model.utils import get_tokenizer
from safetensors.torch import save_file
from vocos import Vocos

SAMPLE_RATE, N_MELS, HOP, N_FFT = 24000, 100, 256, 1024  # what F5-TTS and its vocoder share
VOCAB = [" ", *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:'!?-"]
DIT: dict[str, Any] = {
    "dim": 32,
    "depth": 2,
    "heads": 2,
    "dim_head": 16,
    "ff_mult": 2,
    "text_dim": 16,
    "text_mask_padding": True,
    "qk_norm": None,
    "conv_layers": 1,
    "pe_attn_head": None,
    "attn_backend": "torch",
    "attn_mask_enabled": False,
    "checkpoint_activations": False,
}


TINY_VOCOS = {"dim": 32, "intermediate_dim": 64, "num_layers": 2}
REAL_VOCOS = {"dim": 512, "intermediate_dim": 1536, "num_layers": 8}  # charactr/vocos-mel-24khz's config.yaml


def real_dit() -> dict[str, Any]:
    """F5-TTS v1 Base's architecture, from the package's own config (for the GPU benchmark)."""
    config = files("f5_tts").joinpath("configs/F5TTS_v1_Base.yaml").read_text(encoding="utf-8")
    return dict(yaml.safe_load(config)["model"]["arch"])


def f5_checkpoint(folder: Path, arch: dict[str, Any] = DIT, perturb: bool = True) -> None:
    folder.mkdir(parents=True)
    (folder / "vocab.txt").write_text("".join(f"{token}\n" for token in VOCAB), encoding="utf-8")
    vocab_map, vocab_size = get_tokenizer(str(folder / "vocab.txt"), "custom")
    torch.manual_seed(0)
    model = CFM(
        transformer=DiT(**arch, text_num_embeds=vocab_size, mel_dim=N_MELS),
        mel_spec_kwargs={
            "n_fft": N_FFT,
            "hop_length": HOP,
            "win_length": N_FFT,
            "n_mel_channels": N_MELS,
            "target_sample_rate": SAMPLE_RATE,
            "mel_spec_type": "vocos",
        },
        vocab_char_map=vocab_map,
    )
    # Random weights everywhere: the DiT zero-initialises its output layers, which would make every step a no-op
    # (at the real size, for timing, its own initialisation is kept).
    if perturb:
        with torch.no_grad():
            for parameter in model.parameters():
                parameter.normal_(0.0, 0.2)
    state = {f"ema_model.{key}": value.contiguous() for key, value in model.state_dict().items()}
    save_file(state, str(folder / "model_tiny.safetensors"))
    config = {"model": {"name": "F5TTS_tiny", "backbone": "DiT", "arch": arch, "mel_spec": {"mel_spec_type": "vocos"}}}
    (folder / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")


def vocos(folder: Path, size: dict[str, int] = TINY_VOCOS) -> None:
    folder.mkdir(parents=True)
    config = {
        "feature_extractor": {
            "class_path": "vocos.feature_extractors.MelSpectrogramFeatures",
            "init_args": {"sample_rate": SAMPLE_RATE, "n_fft": N_FFT, "hop_length": HOP, "n_mels": N_MELS},
        },
        "backbone": {
            "class_path": "vocos.models.VocosBackbone",
            "init_args": {"input_channels": N_MELS, **size},
        },
        "head": {
            "class_path": "vocos.heads.ISTFTHead",
            "init_args": {"dim": size["dim"], "n_fft": N_FFT, "hop_length": HOP, "padding": "center"},
        },
    }
    (folder / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    torch.manual_seed(0)
    model = Vocos.from_hparams(str(folder / "config.yaml"))
    torch.save(model.state_dict(), folder / "pytorch_model.bin")


BUILDERS: dict[str, Callable[[Path], None]] = {"F5TTS_v1_Base": f5_checkpoint, "vocos-mel-24khz": vocos}
REAL_SIZE: dict[str, Callable[[Path], None]] = {
    "F5TTS_v1_Base": lambda folder: f5_checkpoint(folder, real_dit(), perturb=False),
    "vocos-mel-24khz": lambda folder: vocos(folder, REAL_VOCOS),
}


if __name__ == "__main__":
    kind, destination = sys.argv[1], Path(sys.argv[2])
    BUILDERS[kind](destination)
