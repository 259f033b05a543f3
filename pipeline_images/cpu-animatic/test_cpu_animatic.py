"""cpu-animatic: a video of the asked length whose camera really moves in."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def frames_of(video: Path, width: int, height: int) -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(video), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, height, width)


def test_push_in_moves_the_camera(sample: SampleRun) -> None:
    result = sample("cpu-animatic")
    assert result.metadata["width"] == 128 and result.metadata["height"] == 72
    assert result.metadata["frames"] == 12
    frames = frames_of(result.outputs["video"], 128, 72)
    assert len(frames) == 12
    # Pushing in on the sample's centred yellow block makes it cover more of the frame over time.
    bright_first, bright_last = (frames[0] > 120).mean(), (frames[-1] > 120).mean()
    assert bright_last > bright_first * 1.3
    assert not np.array_equal(frames[0], frames[-1])
