"""The model store as pipelines need it: missing, wrong-format and wrong-hash models each say how to fix it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from function_runner.weights import (
    WeightsError,
    check_weight,
    fingerprint,
    hash_file,
    read_record,
    require_weights,
    write_record,
)
from schemas.models.model_record import Source
from schemas.models.pipeline_manifest import PipelineManifest, Weight
from schemas.models.run_request import RunRequest
from tests.support.model_folders import diffusers_folder
from tests.support.runner import PIPELINE_IMAGES, make_config

SD15 = json.loads((PIPELINE_IMAGES / "t2i-sd1.5" / "pipeline.json").read_text())


def weight(**fields: object) -> Weight:
    return Weight.model_validate({"name": "SD 1.5", "path": "stable-diffusion-v1-5", **fields})


def test_a_recorded_model_is_usable_and_its_fingerprint_covers_every_file(tmp_path: Path) -> None:
    folder = diffusers_folder(tmp_path)
    record = write_record(folder, folder.name, Source(added_from="/somewhere"))
    unet = "unet/diffusion_pytorch_model.safetensors"
    assert sorted(record.files) == sorted(
        ["model_index.json", "unet/config.json", unet, "vae/config.json", "vae/diffusion_pytorch_model.safetensors"]
    )
    assert record.files[unet].sha256 == hash_file(folder / unet)
    assert record.fingerprint == fingerprint({path: entry.sha256 for path, entry in record.files.items()})
    assert read_record(folder) == record
    status = check_weight(tmp_path, weight(files={unet: hash_file(folder / unet)}))
    assert status.usable and status.problem is None


def test_a_missing_model_names_the_pull_and_add_commands(tmp_path: Path) -> None:
    status = check_weight(tmp_path, weight(repo="stable-diffusion-v1-5/stable-diffusion-v1-5"))
    assert not status.usable and status.fix == "studio models pull stable-diffusion-v1-5"
    assert status.problem is not None
    assert "the model 'stable-diffusion-v1-5' (SD 1.5) is not in the model store" in status.problem
    assert "(from stable-diffusion-v1-5/stable-diffusion-v1-5)" in status.problem
    assert "studio models add stable-diffusion-v1-5 PATH" in status.problem
    # Project members read this sentence: it names the model under the store, not where the store lies on the host.
    assert "(expected <model store>/stable-diffusion-v1-5)" in status.problem and str(tmp_path) not in status.problem


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        ("checkpoint", "model_index.json is missing (it holds v1-5-pruned.safetensors: a single-file checkpoint?)"),
        ("component", "names the component folder(s) vae, which are missing"),
        ("garbage", "model_index.json is not readable JSON"),
    ],
)
def test_a_folder_in_the_wrong_format_says_what_is_wrong(tmp_path: Path, damage: str, fragment: str) -> None:
    folder = diffusers_folder(tmp_path)
    if damage == "checkpoint":
        shutil.rmtree(folder)
        folder.mkdir()
        (folder / "v1-5-pruned.safetensors").write_bytes(b"weights")
    elif damage == "component":
        shutil.rmtree(folder / "vae")
    else:
        (folder / "model_index.json").write_text("{not json")
    status = check_weight(tmp_path, weight())
    assert status.problem is not None and fragment in status.problem
    assert "is not a diffusers model folder" in status.problem
    assert "`studio models pull stable-diffusion-v1-5`" in status.problem


def test_a_plain_folder_model_needs_a_folder_and_its_declared_files_only(tmp_path: Path) -> None:
    folder = tmp_path / "inswapper-128"
    folder.mkdir()
    (folder / "inswapper_128.onnx").write_bytes(b"graph")
    write_record(folder, folder.name, Source())
    files = {"inswapper_128.onnx": hash_file(folder / "inswapper_128.onnx")}
    assert check_weight(tmp_path, weight(path="inswapper-128", format="folder", files=files)).usable
    shutil.rmtree(folder)
    folder.write_bytes(b"graph")
    status = check_weight(tmp_path, weight(path="inswapper-128", format="folder"))
    assert status.problem == "<model store>/inswapper-128 is a file, but the pipeline expects a folder there."


def test_a_wrong_hash_is_refused_and_a_changed_file_is_hashed_again(tmp_path: Path) -> None:
    folder = diffusers_folder(tmp_path)
    write_record(folder, folder.name, Source())
    unet = "unet/diffusion_pytorch_model.safetensors"
    expected = hash_file(folder / unet)
    wrong = check_weight(tmp_path, weight(files={unet: "0" * 64}, revision="main"))
    assert wrong.problem is not None
    assert (
        f"<model store>/stable-diffusion-v1-5/{unet} has sha256 {expected[:12]}… but the pipeline expects {'0' * 12}…"
        in wrong.problem
    )
    assert "`studio models pull stable-diffusion-v1-5` (revision main)" in wrong.problem
    (folder / unet).write_bytes(b"tampered")  # size and mtime move: the record no longer vouches for it
    os.utime(folder / unet, ns=(1, 1))
    assert check_weight(tmp_path, weight(files={unet: expected})).fix == "studio models verify stable-diffusion-v1-5"
    rehashed = check_weight(tmp_path, weight(files={unet: expected}), rehash=True)
    assert rehashed.problem is not None and f"has sha256 {hash_file(folder / unet)[:12]}…" in rehashed.problem


def test_an_optional_model_may_be_missing_but_a_required_one_stops_the_run(tmp_path: Path) -> None:
    manifest = {**SD15, "weights": [{**SD15["weights"][0]}, {"name": "upsampler", "path": "up", "optional": True}]}
    diffusers_folder(tmp_path)
    require_weights(PipelineManifest.model_validate(manifest), tmp_path)  # the optional one is absent: fine
    with pytest.raises(WeightsError) as caught:
        require_weights(PipelineManifest.model_validate(manifest), tmp_path / "elsewhere")
    assert caught.value.fix == "studio models pull stable-diffusion-v1-5"


def test_the_runner_refuses_a_pipeline_without_its_weights_before_making_a_job(tmp_path: Path) -> None:
    config = make_config(PIPELINE_IMAGES, tmp_path)
    runner = FunctionRunner(config, ProcessBackend(config))
    with pytest.raises(WeightsError) as caught:
        runner.run("t2i-sd1.5", RunRequest(inputs={"prompt": "a lighthouse"}, params={}, seed=0))
    message = caught.value.message
    assert message.startswith("Pipeline 't2i-sd1.5': the model 'stable-diffusion-v1-5'")
    assert "studio models pull stable-diffusion-v1-5" in message
    assert not config.jobs_dir.exists()  # nothing was launched, no job dir half made
