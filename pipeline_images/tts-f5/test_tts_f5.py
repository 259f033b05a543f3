"""tts-f5 through its real entrypoint (the f5-tts package: CFM + DiT, vocos) on tiny random-weight models."""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

import pytest

from function_runner.errors import PipelineFailedError
from function_runner.runner import FunctionRunner
from function_runner.weights import read_record
from tests.support.pipeline_checks import (
    assert_cancel_stops_between_steps,
    assert_seeded,
    assert_steps_in_order,
    generate,
)

PIPELINE, CHECKPOINT = "tts-f5", "F5TTS_v1_Base"
MODELS = (CHECKPOINT, "vocos-mel-24khz")  # built into the tiny store for the `runner` fixture
TEXT = "The lighthouse keeper climbed the stairs and lit the lamp for the ships."
SMALL = {"speed": 1.0, "steps": 2, "guidance": 2.0}


def write_voice(path: Path, seconds: float, amplitude: float) -> Path:
    """A mono 24 kHz WAV: a 140 Hz voiced buzz with its harmonics, swelling like syllables (or silence at 0)."""
    rate = 24000
    frames = bytearray()
    for i in range(int(seconds * rate)):
        t = i / rate
        envelope = 0.6 + 0.4 * math.sin(2 * math.pi * 3 * t)
        sample = sum(math.sin(2 * math.pi * 140 * k * t) / k for k in range(1, 6)) / 2.3
        frames += struct.pack("<h", int(32767 * amplitude * envelope * sample))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return path


@pytest.fixture(scope="module")
def voices(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("voices")
    return {
        "voice": write_voice(folder / "voice.wav", 3.0, 0.5),
        "short": write_voice(folder / "short.wav", 0.4, 0.5),
        "silent": write_voice(folder / "silent.wav", 3.0, 0.0),
    }


def speech(content: bytes) -> tuple[int, int, bytes]:
    """(sample rate, frames, samples) of a mono 16-bit WAV."""
    with wave.open(io.BytesIO(content)) as audio:
        assert (audio.getnchannels(), audio.getsampwidth()) == (1, 2)
        return audio.getframerate(), audio.getnframes(), audio.readframes(audio.getnframes())


@pytest.mark.both_backends
def test_speech_in_the_reference_voice_is_a_24_khz_wav_with_steps_and_provenance(
    runner: FunctionRunner, voices: dict[str, Path]
) -> None:
    inputs = {"text": TEXT, "source_audio": str(voices["voice"]), "reference_text": "Keep the light burning all night."}
    run = generate(runner, PIPELINE, inputs, SMALL)
    rate, frames, samples = speech(run.content)
    assert rate == 24000 and run.metadata["sample_rate"] == 24000
    assert run.metadata["duration_s"] == round(frames / rate, 3) > 0.5
    values = struct.unpack(f"<{frames}h", samples)
    assert max(abs(v) for v in values) > 1000 and len(set(values)) > 1000, "the speech is silent"
    assert_steps_in_order(run.events, total=2)
    provenance = run.metadata["provenance"]
    record = read_record(Path(runner.config.model_store) / CHECKPOINT)
    assert record is not None
    assert (provenance["name"], provenance["weights_sha256"]) == (CHECKPOINT, record.fingerprint)
    assert (provenance["device"], provenance["dtype"], provenance["peak_vram_gb"]) == ("cpu", "float32", None)
    assert provenance["libraries"]["f5-tts"] == "1.1.22" and provenance["libraries"]["torchaudio"].startswith("2.9")
    assert provenance["arguments"] == {
        "nfe_step": 2,
        "cfg_strength": 2.0,
        "speed": 1.0,
        "reference_text": "Keep the light burning all night.",
        "text": TEXT,
        "seed": 7,
    }


def test_twice_the_speed_gives_about_half_the_duration(runner: FunctionRunner) -> None:
    inputs = {"text": TEXT}  # the package's own sample voice
    normal = speech(generate(runner, PIPELINE, inputs, SMALL).content)[1]
    fast = speech(generate(runner, PIPELINE, inputs, {**SMALL, "speed": 2.0}).content)[1]
    assert 0.4 < fast / normal < 0.6, (fast, normal)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    assert_seeded(runner, PIPELINE, {"text": TEXT}, SMALL)


@pytest.mark.parametrize(
    ("voice", "transcript", "text", "sentence"),
    [
        (
            "silent",
            "Keep the light burning.",
            TEXT,
            r"The reference voice \(input 'source_audio'\) is silent: choose a recording",
        ),
        (
            "short",
            "Keep.",
            TEXT,
            r"The reference voice \(input 'source_audio'\) has only 0\.\d\d s of sound .* at least 1 s",
        ),
        ("voice", "", TEXT, r"The reference voice \(input 'source_audio'\) has no transcript: type the words it says"),
        ("voice", "Keep the light burning.", "   ", r"The text to speak is empty: type the words"),
    ],
)
def test_unusable_inputs_fail_with_a_sentence(
    runner: FunctionRunner, voices: dict[str, Path], voice: str, transcript: str, text: str, sentence: str
) -> None:
    inputs = {"text": text, "source_audio": str(voices[voice]), "reference_text": transcript}
    with pytest.raises(PipelineFailedError, match=sentence):
        generate(runner, PIPELINE, inputs, SMALL)


def test_a_cancel_stops_it_between_steps_and_the_model_stays_loaded(runner: FunctionRunner) -> None:
    assert_cancel_stops_between_steps(runner, PIPELINE, {"text": TEXT}, {**SMALL, "steps": 64}, 64)
    assert speech(generate(runner, PIPELINE, {"text": TEXT}, SMALL).content)[0] == 24000
