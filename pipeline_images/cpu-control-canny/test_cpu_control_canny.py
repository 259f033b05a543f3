"""cpu-control-canny: edges trace the sample square's outline, thin, and nothing else."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def test_canny_finds_the_square_outline(sample: SampleRun) -> None:
    result = sample("cpu-control-canny")
    with Image.open(result.outputs["control_map"]) as control:
        edges = np.asarray(control) > 127
    assert edges.shape == (48, 64)
    ys, xs = np.nonzero(edges)
    # The sample is a bright square at x 16..47, y 12..35 on black: edges sit on its border only.
    assert 14 <= xs.min() <= 17 and 46 <= xs.max() <= 49
    assert 10 <= ys.min() <= 13 and 34 <= ys.max() <= 37
    assert not edges[20:28, 24:40].any()  # the flat inside has no edges
    assert not edges[:8].any() and not edges[-8:].any()  # nor the flat outside
    assert 0.02 < edges.mean() < 0.2  # thin lines, not filled areas
