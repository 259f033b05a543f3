"""Tiny random-weight models for motion transfer (Wan 2.1 VACE), built like tests/support/tiny_models.py's
(run in the stack's interpreter; `tiny_models.main` finds the kinds in BUILDERS here: see its PART_MODULES)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support.tiny_models import TINY_WAN_TRANSFORMER, wan_parts


def wan_21_vace(dest: Path) -> None:
    """WanVACEPipeline: the tiny Wan 2.1 with VACE blocks on both layers. The VACE input is the control video's
    latents twice (inactive and reactive: 2 x 16 channels) and the mask folded 8x8 (64)."""
    from diffusers import WanVACEPipeline, WanVACETransformer3DModel

    transformer = WanVACETransformer3DModel(**TINY_WAN_TRANSFORMER, vace_layers=[0, 1], vace_in_channels=96)
    WanVACEPipeline(transformer=transformer, **wan_parts()).save_pretrained(dest)


BUILDERS: dict[str, Callable[[Path], None]] = {"Wan2.1-VACE-1.3B-diffusers": wan_21_vace}
