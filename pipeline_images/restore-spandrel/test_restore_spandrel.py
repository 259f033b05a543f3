"""restore-spandrel through its real entrypoint (spandrel loading a tiny random-weight NAFNet from the model store)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from function_runner.runner import FunctionRunner
from server.media.probe import probe
from tests.support.pipeline_checks import assert_mp4, generate
from tests.support.spandrel_media import rgb_frames, video_with_audio

PIPELINE = "restore-spandrel"
MODELS = ("restoration-networks",)  # built into the tiny store for the `runner` fixture


def test_each_frame_is_restored_and_strength_blends_it_with_the_source(runner: FunctionRunner, tmp_path: Path) -> None:
    source = video_with_audio(tmp_path / "clip.mp4", frames=6, fps=12, size="32x24")
    before = rgb_frames(source, (32, 24))
    runs = {}
    for strength in (0.0, 0.5, 1.0):
        run = generate(runner, PIPELINE, {"video": str(source)}, {"strength": strength})  # the folder's only network
        assert_mp4(run.content, tmp_path, size=(32, 24), frames=6, fps=12.0)
        audio = probe(tmp_path / "take.mp4").audio
        assert audio is not None and audio.codec == "aac", "the source's audio was not kept"
        runs[strength] = rgb_frames(tmp_path / "take.mp4", (32, 24))
    assert run.metadata["provenance"]["network"]["architecture"] == "NAFNet"
    change = {strength: float(np.abs(frames - before).mean()) for strength, frames in runs.items()}
    assert change[0.0] == 0  # the source itself, its streams copied
    assert change[1.0] > 10  # the random network changes every frame visibly
    assert change[0.0] < change[0.5] < change[1.0]
