"""cpu-upscale-lanczos: exact output size, and smooth Lanczos interpolation (not nearest neighbour)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PIL import Image

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def test_sample_is_scaled_by_the_factor(sample: SampleRun) -> None:
    result = sample("cpu-upscale-lanczos")
    with Image.open(Path(__file__).parent / "samples" / "frame.png") as source:
        expected = (round(source.width * 2.5), round(source.height * 2.5))
        source_colours = len(source.convert("RGB").getcolors(maxcolors=1 << 20) or [])
    with Image.open(result.outputs["image"]) as upscaled:
        assert upscaled.size == expected
        # Lanczos blends neighbours: many more distinct colours than the source's flat blocks.
        assert len(upscaled.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 2 * source_colours
    assert result.metadata == {"width": expected[0], "height": expected[1], "scale": 2.5}
