"""cpu-talking-card: video and audio streams, as long as the audio, with the waveform drawn."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def test_video_follows_the_audio(sample: SampleRun) -> None:
    result = sample("cpu-talking-card")
    probe = json.loads(
        subprocess.run(
            [
                "ffprobe",
                "-v",
                "error",
                "-show_entries",
                "stream=codec_type,width,height",
                "-of",
                "json",
                str(result.outputs["video"]),
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    kinds = sorted(stream["codec_type"] for stream in probe["streams"])
    assert kinds == ["audio", "video"]
    assert result.metadata["width"] == 96 and result.metadata["height"] == 54
    assert abs(result.metadata["duration_s"] - 0.8) < 0.25
