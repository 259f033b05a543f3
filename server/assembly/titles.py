"""A title card's text as MoviePy draws it: one drawing for both render paths, so their titles match pixel for pixel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from moviepy import TextClip
from PIL import Image

from schemas.models.sequence import TitlePosition
from server.assembly.plan import TitleCard

_VERTICAL = {
    TitlePosition.top: 0.08,
    TitlePosition.centre: 0.5,
    TitlePosition.bottom: 0.92,
    TitlePosition.lower_third: 0.75,
}


def title_text(card: TitleCard, size: tuple[int, int]) -> tuple[Any, tuple[int, int]]:
    """The card's TextClip and where its top-left corner goes on a picture of `size` (centred horizontally)."""
    width, height = size
    text = TextClip(
        text=card.text, font_size=max(12, height // 12), color="white", stroke_color="black", stroke_width=1
    )
    y = int(_VERTICAL[card.position] * height - text.h / 2)
    y = min(max(y, 0), max(height - text.h, 0))
    return text, ((width - text.w) // 2, y)


def title_png(card: TitleCard, size: tuple[int, int], target: Path) -> tuple[int, int]:
    """The card's text as an RGBA PNG at `target`; where it goes on the picture."""
    text, at = title_text(card, size)
    rgb = text.get_frame(0)[:, :, :3].astype(np.uint8)
    alpha = (np.clip(text.mask.get_frame(0), 0, 1) * 255).round().astype(np.uint8)
    Image.fromarray(np.dstack([rgb, alpha])).save(target)
    return at
