"""cpu-storyboard: the card has the requested aspect ratio, is drawn, and is seed-deterministic."""

from __future__ import annotations

from collections.abc import Callable

from PIL import Image, ImageChops

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def test_sample_card_has_the_aspect_ratio_and_a_drawing(sample: SampleRun) -> None:
    result = sample("cpu-storyboard")
    with Image.open(result.outputs["image"]) as card:
        assert card.size == (240, 100)  # 240 / 2.39, rounded to an even height
        assert result.metadata == {"width": 240, "height": 100, "aspect_ratio": "2.39:1"}
        colours = card.convert("RGB").getcolors(maxcolors=100_000)
        assert colours is not None and len(colours) > 5  # paper, ink, guides, caption, label


def test_same_seed_same_card(sample: SampleRun) -> None:
    first, second = sample("cpu-storyboard"), sample("cpu-storyboard")
    with Image.open(first.outputs["image"]) as a, Image.open(second.outputs["image"]) as b:
        assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None
