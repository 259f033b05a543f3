"""cpu-control-canny: edges trace the sample square's outline, thin, and nothing else; a video gives a control
video whose edges follow the square frame by frame."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from function_runner.errors import PipelineFailedError
from function_runner.runner import CompletedRun, FunctionRunner
from server.media.ffmpeg import ffmpeg_exe
from server.media.probe import probe
from tests.support.pipeline_checks import generate

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


# A Motion Source's video: its control video, frame by frame. `runner` is the shipped pipelines on both backends.
MODELS = ()  # no model store needed
SAMPLES = Path(__file__).resolve().parent / "samples"
WALK = SAMPLES / "walk.mp4"  # 64x48, 12 frames at 24 fps: a bright 16x16 square, y 16..31, x 8+2i..23+2i in frame i


def decoded_gray(path: Path, size: tuple[int, int]) -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, size[1], size[0])


@pytest.mark.both_backends
def test_a_video_becomes_a_control_video_whose_edges_follow_the_motion(runner: FunctionRunner, tmp_path: Path) -> None:
    run = generate(runner, "cpu-control-canny", {"source_video": str(WALK)}, {"mode": "canny"})
    control = tmp_path / "control.mp4"
    control.write_bytes(run.content)
    info = probe(control)
    assert info.video is not None
    assert (info.frames, float(info.video.fps), info.video.width, info.video.height) == (12, 24.0, 64, 48)
    assert run.metadata["frames"] == 12 and run.metadata["fps"] == "24/1"
    frames = decoded_gray(control, (64, 48)) > 127
    lefts = []
    for index, edges in enumerate(frames):
        ys, xs = np.nonzero(edges)
        assert 14 <= ys.min() <= 17 and 30 <= ys.max() <= 33, index
        assert abs(xs.max() - (23 + 2 * index)) <= 2, index
        assert not edges[20:28, 14 + 2 * index : 18 + 2 * index].any(), index  # the square's flat inside
        lefts.append(int(xs.min()))
    assert lefts == sorted(lefts) and lefts[-1] - lefts[0] >= 18  # the square moves 22 px right


def test_a_video_too_long_for_a_control_video_is_refused_with_the_limit(runner: FunctionRunner, tmp_path: Path) -> None:
    long = tmp_path / "long.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "color=gray:s=32x32:r=30:d=11", str(long)], check=True
    )
    with pytest.raises(PipelineFailedError, match=r"source_video has 330 frames; a control video takes at most 300"):
        generate(runner, "cpu-control-canny", {"source_video": str(long)}, {"mode": "depth"})


def test_an_image_and_a_video_together_are_refused(runner: FunctionRunner) -> None:
    inputs = {"source_video": str(WALK), "image": str(SAMPLES / "square.png")}
    with pytest.raises(PipelineFailedError, match="one image or one source_video, got image and source_video"):
        generate(runner, "cpu-control-canny", inputs, {"mode": "canny"})
