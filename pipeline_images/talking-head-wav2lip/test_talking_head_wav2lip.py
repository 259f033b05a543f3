"""talking-head-wav2lip through its real entrypoint (the lipsync package's Wav2Lip, insightface's SCRFD on ONNX Runtime)
on tiny random-weight models built in code, on both runner backends."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from function_runner.errors import PipelineFailedError
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from function_runner.weights import WeightsError, read_record, write_record
from schemas.models.model_record import Source
from server.media.ffmpeg import ffmpeg_exe
from server.media.probe import probe
from tests.support.face_media import face_picture, write_png, write_voice
from tests.support.pipeline_checks import assert_cancel_stops_between_steps, assert_mp4, generate
from tests.support.runner import PIPELINE_IMAGES, make_config
from tests.support.stack_models import build_forced_sfw_store, build_tiny

PIPELINE = "talking-head-wav2lip"
MODELS = ("insightface-buffalo-l", "wav2lip", "nsfw-image-detection")  # built into the tiny store


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("talking")
    odd = np.pad(face_picture([(9, 9)], size=320), ((0, 1), (0, 1), (0, 0)), constant_values=40)
    empty_image, empty_audio = folder / "empty.png", folder / "empty.wav"
    empty_image.write_bytes(b"")
    empty_audio.write_bytes(b"")
    (folder / "garbage.wav").write_bytes(b"no RIFF header: not audio")
    return {
        "portrait": write_png(folder / "portrait.png", face_picture([(9, 9)], size=320)),
        "odd_portrait": write_png(folder / "odd.png", odd),
        "no_face": write_png(folder / "no_face.png", face_picture([], size=320)),
        "voice": write_voice(folder / "voice.wav", 1.0),
        "long_voice": write_voice(folder / "long.wav", 1.33),
        "cancel_voice": write_voice(folder / "cancel.wav", 4.0),
        "silence": write_voice(folder / "silence.wav", 1.0, silent=True),
        "empty_image": empty_image,
        "empty_audio": empty_audio,
        "garbage_audio": folder / "garbage.wav",
    }


def talk(runner: FunctionRunner, image: Path, audio: Path, **params: int) -> Any:
    return generate(runner, PIPELINE, {"image": str(image), "audio": str(audio)}, params)


def refusal(runner: FunctionRunner, image: Path, audio: Path) -> str:
    with pytest.raises(PipelineFailedError) as failed:
        talk(runner, image, audio)
    return str(failed.value)


@pytest.mark.both_backends
def test_a_portrait_talks_for_as_long_as_the_voice_carrying_it(
    runner: FunctionRunner, media: dict[str, Path], tmp_path: Path
) -> None:
    run = talk(runner, media["portrait"], media["voice"])
    assert_mp4(run.content, tmp_path, size=(320, 320), frames=25, fps=25.0)  # 1.0 s x 25 fps, the portrait's size
    info = probe(tmp_path / "take.mp4")
    assert info.audio is not None and info.audio.codec == "aac"
    assert abs(info.duration_s - 1.0) < 0.05, info.duration_s
    assert [e.step for e in run.events][-1] == "frame 25/25"
    provenance = run.metadata["provenance"]
    record = read_record(Path(runner.config.model_store) / "wav2lip")
    assert record is not None and provenance["weights_sha256"] == record.fingerprint
    assert (provenance["name"], provenance["device"], provenance["libraries"]["lipsync"]) == ("wav2lip", "cpu", "0.1.0")
    assert provenance["arguments"]["pads"] == [0, 10, 0, 0] and provenance["arguments"]["batch_size"] == 32
    # Wav2Lip repainted the face box (here with random weights) and nothing outside it.
    box = provenance["arguments"]["face_box"]
    first = frame_zero(tmp_path / "take.mp4")
    portrait = face_picture([(9, 9)], size=320).astype(int)
    inside = (slice(box["top"], box["bottom"]), slice(box["left"], box["right"]))
    assert np.abs(first[inside] - portrait[inside]).mean() > 20, "the face was not repainted"
    outside = first.copy()
    outside[inside] = portrait[inside]
    assert np.abs(outside - portrait).mean() < 5, "pixels outside the face box changed"  # H.264's colour error: ~3


def frame_zero(path: Path) -> np.ndarray:
    png = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-frames:v", "1", "-f", "image2pipe", "-c:v", "png", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_frames_follow_the_fps_and_odd_sides_lose_one_pixel(
    runner: FunctionRunner, media: dict[str, Path], tmp_path: Path
) -> None:
    run = talk(runner, media["odd_portrait"], media["long_voice"], fps=10, batch_size=4)
    assert_mp4(run.content, tmp_path, size=(320, 320), frames=13, fps=10.0)  # round(1.33 s x 10 fps)
    assert (run.metadata["frames"], run.metadata["width"], run.metadata["height"]) == (13, 320, 320)


def test_bad_inputs_each_get_a_sentence(runner: FunctionRunner, media: dict[str, Path]) -> None:
    no_face = refusal(runner, media["no_face"], media["voice"])
    assert "No face was found in the portrait. Connect a picture where a face is clearly visible." in no_face
    silent = refusal(runner, media["portrait"], media["silence"])
    assert "The voice audio is silent: there is no speech for the lips to follow." in silent
    empty_audio = refusal(runner, media["portrait"], media["empty_audio"])
    assert "The voice audio is empty (0 bytes). Connect a WAV, MP3, FLAC or M4A recording of speech." in empty_audio
    empty_image = refusal(runner, media["empty_image"], media["voice"])
    assert "The portrait is empty (0 bytes). Connect a PNG, JPEG or WebP image of a face." in empty_image
    not_audio = refusal(runner, media["portrait"], media["garbage_audio"])
    assert "The voice audio is not readable audio" in not_audio


def test_cancel_stops_between_batches_and_keeps_the_instance(runner: FunctionRunner, media: dict[str, Path]) -> None:
    inputs = {"image": str(media["portrait"]), "audio": str(media["cancel_voice"])}
    assert_cancel_stops_between_steps(runner, PIPELINE, inputs, {"batch_size": 1}, steps=100, unit="frame")


def test_missing_weights_name_the_model_to_fetch(media: dict[str, Path], tmp_path: Path) -> None:
    store = tmp_path / "models"
    for model in ("insightface-buffalo-l", "nsfw-image-detection"):  # no wav2lip
        build_tiny(model, store)
    settings = make_config(PIPELINE_IMAGES, tmp_path, model_store=store, cpu_fallback=True)
    runner = FunctionRunner(settings, ProcessBackend(settings))
    try:
        no_hub = "no hub repository to pull from: add a local copy with `studio models add wav2lip PATH`"
        with pytest.raises(WeightsError, match=no_hub):
            talk(runner, media["portrait"], media["voice"])
        # A folder recorded as the model but without its checkpoint file: the entrypoint names the file.
        (store / "wav2lip").mkdir()
        (store / "wav2lip" / "README.md").write_text("the checkpoint went elsewhere")
        write_record(store / "wav2lip", "wav2lip", Source(added_from="a test"))
        sentence = refusal(runner, media["portrait"], media["voice"])
    finally:
        runner.close()
    assert (
        "wav2lip.pth is missing from the model 'wav2lip' (<model store>/wav2lip/). Add a folder holding it with "
        "`studio models add wav2lip FOLDER`" in sentence
    )
    assert str(store) not in sentence  # the host's store path is the admin's


@pytest.fixture(scope="module")
def forced_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_forced_sfw_store(tmp_path_factory.mktemp("forced-models"), MODELS[:2])


def test_the_gate_refuses_the_portrait_and_writes_nothing_unless_the_studio_switched_it_off(
    forced_store: Path, media: dict[str, Path], tmp_path: Path
) -> None:
    def runner_in(folder: Path, **config: Any) -> FunctionRunner:
        folder.mkdir()
        settings = make_config(PIPELINE_IMAGES, folder, model_store=forced_store, cpu_fallback=True, **config)
        return FunctionRunner(settings, ProcessBackend(settings))

    gated, ungated = runner_in(tmp_path / "gated"), runner_in(tmp_path / "ungated", sfw_threshold=None)
    try:
        sentence = refusal(gated, media["portrait"], media["voice"])
        run = talk(ungated, media["portrait"], media["voice"])
    finally:
        gated.close()
        ungated.close()
    assert "The SFW gate refused the portrait: its safety classifier rates it" in sentence
    assert "over the studio's threshold 0.50" in sentence
    assert not list((tmp_path / "gated").rglob("talking*.mp4")), "a refused job left a video behind"
    assert_mp4(run.content, tmp_path, size=(320, 320), frames=25, fps=25.0)
