"""Tiny random-weight networks for the spandrel pipelines, built in code with spandrel's own architecture classes
and saved as the state-dict files the model store holds (nothing is downloaded).

Run with the diffusers stack's interpreter: `<stack venv>/bin/python -m tests.support.tiny_spandrel KIND DEST`
(tests use `build_tiny` in tests/support/stack_models.py). Weights come from `torch.manual_seed(0)`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import spandrel_job  # noqa: F401  (spandrel importable without torchvision, as the pipelines import it)
import torch
from safetensors.torch import save_file
from spandrel.architectures.ESRGAN import ESRGAN
from spandrel.architectures.NAFNet import NAFNet


def esrgan_x2() -> dict[str, torch.Tensor]:
    """ESRGAN's RRDBNet at scale 2 with 8 filters and one RRDB block (the real one: 64 filters, 23 blocks)."""
    return ESRGAN(num_filters=8, num_blocks=1, scale=2).state_dict()


def nafnet() -> dict[str, torch.Tensor]:
    """A 1x restoration network: NAFNet with width 8 and one block per level (the real one: width 64)."""
    model = NAFNet(img_channel=3, width=8, middle_blk_num=1, enc_blk_nums=[1], dec_blk_nums=[1])
    with torch.no_grad():  # NAFNet's residual starts near identity; random gains make the change visible
        for parameter in model.parameters():
            if parameter.dim() == 4 and parameter.shape[0] == 1 and parameter.shape[1] > 1:
                parameter.normal_(0, 0.5)
    return model.state_dict()


def unknown() -> dict[str, torch.Tensor]:
    """A state dict no spandrel architecture claims."""
    return {"encoder.stem.weight": torch.randn(4, 3, 3, 3), "decoder.head.weight": torch.randn(3, 4, 1, 1)}


FOLDERS: dict[str, dict[str, Callable[[], dict[str, torch.Tensor]]]] = {
    "upscale-networks": {
        "esrgan-x2.safetensors": esrgan_x2,
        "nafnet.safetensors": nafnet,
        "unknown.safetensors": unknown,
    },
    "restoration-networks": {"nafnet.safetensors": nafnet},
}


def main(kind: str, dest: str) -> None:
    if kind not in FOLDERS:
        raise SystemExit(f"unknown tiny network folder {kind!r}; known: {', '.join(FOLDERS)}")
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in FOLDERS[kind].items():
        torch.manual_seed(0)
        save_file({key: value.contiguous() for key, value in build().items()}, folder / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
