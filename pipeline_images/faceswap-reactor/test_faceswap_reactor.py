"""faceswap-reactor through its real entrypoint (insightface's SCRFD, ArcFace and INSwapper on ONNX Runtime, the
transformers SFW classifier) on tiny random-weight models built in code, on both runner backends."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from function_runner.errors import InputError, PipelineFailedError
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from schemas.models.run_request import RunRequest
from server.media.probe import probe
from tests.support.face_media import CELL, face_picture, write_png, write_video
from tests.support.pipeline_checks import assert_mp4, assert_png, generate
from tests.support.runner import PIPELINE_IMAGES, make_config
from tests.support.stack_models import build_forced_sfw_store

PIPELINE = "faceswap-reactor"
# Built into the tiny store; face-restore-networks holds a random-weight GFPGANv1.4.pth.
MODELS = ("insightface-buffalo-l", "inswapper-128", "nsfw-image-detection", "face-restore-networks")
RESTORER = "GFPGANv1.4.pth"
LEFT, RIGHT = (3, 9), (15, 9)  # two faces on the detector's grid, left to right


def region(pixels: np.ndarray, cell: tuple[int, int], size: int = 640) -> np.ndarray:
    """The pixels around a face's cell (the swapped face lands within about three cells of it)."""
    unit = size * CELL // 640
    column, row = cell
    return pixels[max(0, (row - 3) * unit) : (row + 4) * unit, max(0, (column - 3) * unit) : (column + 4) * unit]


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("faces")
    frames = [face_picture([LEFT, RIGHT], size=320) for _ in range(5)]
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    return {
        "source": write_png(folder / "source.png", face_picture([(9, 9)])),
        "two_faces": write_png(folder / "two_faces.png", face_picture([LEFT, RIGHT])),
        "no_face": write_png(folder / "no_face.png", face_picture([])),
        "video": write_video(folder / "two_faces.mp4", frames, fps=12, audio=True),
        "empty_video": empty,
    }


def swap(runner: FunctionRunner, inputs: dict[str, Any], **params: Any) -> Any:
    return generate(runner, PIPELINE, {k: str(v) for k, v in inputs.items()}, params)


def refusal(runner: FunctionRunner, inputs: dict[str, Any], **params: Any) -> str:
    with pytest.raises(PipelineFailedError) as failed:
        swap(runner, inputs, **params)
    return str(failed.value)


@pytest.mark.both_backends
def test_the_source_face_replaces_the_chosen_target_face_and_no_other(
    runner: FunctionRunner, media: dict[str, Path]
) -> None:
    run = swap(runner, {"source": media["source"], "target": media["two_faces"]}, target_face_index=1)
    assert_png(run.content, (640, 640))
    swapped = np.asarray(Image.open(io.BytesIO(run.content)).convert("RGB")).astype(int)
    target = face_picture([LEFT, RIGHT]).astype(int)
    assert np.abs(region(swapped, RIGHT) - region(target, RIGHT)).mean() > 2, "the right face was not swapped"
    assert np.array_equal(region(swapped, LEFT), region(target, LEFT)), "the left face changed"
    assert (run.metadata["width"], run.metadata["target_face_index"]) == (640, 1)


def test_a_video_is_swapped_frame_by_frame_keeping_fps_frame_count_and_audio(
    runner: FunctionRunner, media: dict[str, Path], tmp_path: Path
) -> None:
    run = swap(runner, {"source": media["source"], "target_video": media["video"]})
    assert_mp4(run.content, tmp_path, size=(320, 320), frames=5, fps=12.0)
    info = probe(tmp_path / "take.mp4")
    assert info.audio is not None and info.audio.codec == "aac"
    assert (run.metadata["frames"], run.metadata["swapped_frames"], run.metadata["audio"]) == (5, 5, True)


def pixels(run: Any) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(run.content)).convert("RGB")).astype(float)


def test_face_restoration_reworks_only_the_swapped_face_as_visible_as_asked(
    runner: FunctionRunner, media: dict[str, Path]
) -> None:
    inputs = {"source": media["source"], "target": media["two_faces"]}
    plain = pixels(swap(runner, inputs, target_face_index=1))
    full_run = swap(runner, inputs, target_face_index=1, face_restore_model=RESTORER)
    full = pixels(full_run)
    half = pixels(swap(runner, inputs, target_face_index=1, face_restore_model=RESTORER, face_restore_visibility=0.5))
    off = pixels(swap(runner, inputs, target_face_index=1, face_restore_model=RESTORER, face_restore_visibility=0))
    change = np.abs(region(full, RIGHT) - region(plain, RIGHT)).mean()
    assert change > 2, "the restorer did not touch the swapped face"
    assert np.array_equal(region(full, LEFT), region(plain, LEFT)), "the other face changed"
    assert 0.3 < np.abs(region(half, RIGHT) - region(plain, RIGHT)).mean() / change < 0.7
    assert np.array_equal(off, plain), "visibility 0 must leave the swap as it was"
    restored = full_run.metadata["provenance"]["network"]
    assert (restored["file"], restored["architecture"], restored["purpose"]) == (RESTORER, "GFPGAN", "FaceSR")
    assert len(restored["sha256"]) == 64
    assert full_run.metadata["provenance"]["arguments"]["face_restore_visibility"] == 1


def test_bad_inputs_each_get_a_sentence(runner: FunctionRunner, media: dict[str, Path]) -> None:
    no_face = refusal(runner, {"source": media["no_face"], "target": media["two_faces"]})
    assert "No face was found in the source image" in no_face
    out_of_range = refusal(runner, {"source": media["source"], "target": media["two_faces"]}, target_face_index=2)
    assert "has 2 face(s) (indexes 0 to 1, left to right), so its face index 2 does not exist" in out_of_range
    empty = refusal(runner, {"source": media["source"], "target_video": media["empty_video"]})
    assert "The target video is empty (0 bytes). Connect a video file that has frames." in empty
    no_target = refusal(runner, {"source": media["source"]})
    assert "Connect exactly one target" in no_target
    unknown = refusal(runner, {"source": media["source"], "target": media["two_faces"]}, face_restore_model="x.pth")
    assert f"'x.pth' is not in the model store folder 'face-restore-networks' (it holds: {RESTORER})" in unknown


def test_no_node_param_can_reach_the_gate(runner: FunctionRunner, media: dict[str, Path]) -> None:
    request = RunRequest(inputs={"source": str(media["source"]), "target": str(media["two_faces"])}, params={}, seed=1)
    with pytest.raises(InputError, match="sfw"):
        runner.run(PIPELINE, request.model_copy(update={"params": {"sfw": False}}))


@pytest.fixture(scope="module")
def forced_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_forced_sfw_store(tmp_path_factory.mktemp("forced-models"), MODELS[:2])


def process_runner(store: Path, tmp_path: Path, **config: Any) -> FunctionRunner:
    settings = make_config(PIPELINE_IMAGES, tmp_path, model_store=store, cpu_fallback=True, **config)
    return FunctionRunner(settings, ProcessBackend(settings))


def test_the_gate_refuses_what_its_classifier_rates_over_the_threshold_and_writes_nothing(
    forced_store: Path, media: dict[str, Path], tmp_path: Path
) -> None:
    runner = process_runner(forced_store, tmp_path)
    try:
        sentence = refusal(runner, {"source": media["source"], "target": media["two_faces"]})
    finally:
        runner.close()
    assert "The SFW gate refused the source image" in sentence
    assert "over the studio's threshold 0.50" in sentence
    assert not list((tmp_path / "jobs").rglob("swapped*")), "a refused swap left a file behind"


def test_only_the_studio_configuration_switches_the_gate_off(
    forced_store: Path, media: dict[str, Path], tmp_path: Path
) -> None:
    runner = process_runner(forced_store, tmp_path, sfw_threshold=None)
    inputs = {"source": media["source"], "target": media["two_faces"]}
    try:
        run = swap(runner, inputs)
        no_restorers = refusal(runner, inputs, face_restore_model=RESTORER)
    finally:
        runner.close()
    assert_png(run.content, (640, 640))
    # This store has no face restoration networks: asking for one names the folder and the command.
    assert "the model store has no folder 'face-restore-networks'" in no_restorers
    assert "studio models add face-restore-networks FOLDER" in no_restorers
