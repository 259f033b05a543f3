"""A random-weight Wav2Lip for talking-head-wav2lip, built in code (run in the lipsync stack's interpreter).

Wav2Lip's architecture has no size knobs, so this is the real model class at its real size (36 M parameters) with
seeded random weights, saved as the original checkpoint is laid out ({"state_dict": …}, every key "module."-prefixed
as DataParallel saved it) in half precision to halve the file (loading casts back to float32).

    python -m tests.support.tiny_talking wav2lip DEST
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from lipsync.models import Wav2Lip


def wav2lip(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    state = {f"module.{key}": value.half() for key, value in Wav2Lip().state_dict().items()}
    torch.save({"state_dict": state}, dest / "wav2lip.pth")


def main(kind: str, dest: str) -> None:
    if kind != "wav2lip":
        raise SystemExit(f"unknown tiny talking-head model {kind!r}; known: wav2lip")
    torch.manual_seed(0)
    wav2lip(Path(dest))


if __name__ == "__main__":
    main(*sys.argv[1:])
