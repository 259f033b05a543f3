"""cpu-tts-espeak: real speech whose length follows the speaking rate."""

from __future__ import annotations

import wave
from collections.abc import Callable

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def test_sample_is_speech_of_plausible_length(sample: SampleRun) -> None:
    result = sample("cpu-tts-espeak")
    with wave.open(str(result.outputs["audio"])) as audio:
        assert audio.getnchannels() == 1
        frames = audio.readframes(audio.getnframes())
        duration = audio.getnframes() / audio.getframerate()
    assert 1.0 < duration < 4.0  # six words at 175 wpm
    assert result.metadata["duration_s"] == round(duration, 3)
    assert max(frames) > 0 and len(set(frames)) > 50  # not silence
