"""tasks.assets.train_lora through the job lifecycle in this process, on the real train-lora-sd1.5 pipeline and a
tiny random-weight SD 1.5: progress with the loss in order, the LoRA committed as an immutable version with its
sidecar, a cancel that commits nothing, and refusals that say what is missing."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from function_runner.weights import read_record
from server.config import Settings
from server.generation.runtime import PipelineRunners
from server.training.job import TrainLora
from tests.support.factories import TestUser, create_project, png_bytes
from tests.support.jobs import ENDINGS, JobStudio, job_studio, wait_until
from tests.support.stack_models import TinyStore

__all__ = ["job_studio"]
MODEL = "stable-diffusion-v1-5"
FOLDER = "01_Assets/Generative_Assets/Characters/Mara_Voss"
TINY = {"steps": 3, "rank": 4, "resolution": 32, "seed": 5}


@pytest.fixture(scope="module")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> TinyStore:
    return TinyStore(tmp_path_factory.mktemp("models"))


@pytest.fixture
def studio(job_studio: JobStudio, tiny_store: TinyStore) -> JobStudio:
    shutil.copytree(tiny_store.model(MODEL), job_studio.settings.models_dir / MODEL)
    return job_studio


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def character(studio: JobStudio, images: int = 2) -> tuple[dict[str, Any], str]:
    project = create_project(studio.client, studio.user, quality="low")
    url = f"/api/v1/projects/{project['id']}/assets"
    body = {"kind": "Character", "name": "Mara Voss", "trigger_word": "sks_mara"}
    asset_id = studio.client.post(url, json=body, headers=studio.user.headers).json()["asset"]["uuid"]
    colours = [(200, 30, 30), (30, 30, 200), (30, 200, 30)]
    files = [("files", (f"ref{i}.png", png_bytes(48, 40, colours[i]), "image/png")) for i in range(images)]
    if files:
        added = studio.client.post(f"{url}/{asset_id}/images", files=files, headers=studio.user.headers)
        assert added.status_code == 200, added.text
    return project, asset_id


def start(studio: JobStudio, project: dict[str, Any], asset_id: str, **params: Any) -> Any:
    return studio.client.post(
        f"/api/v1/projects/{project['id']}/assets/{asset_id}/train",
        json={**TINY, **params},
        headers=studio.user.headers,
    )


def run(studio: JobStudio, task_id: str) -> dict[str, Any]:
    job = TrainLora(studio.settings, PipelineRunners(studio.settings))
    studio.start(job, task_id).join(timeout=600)
    return studio.task(task_id)


def test_training_commits_v01_with_its_sidecar_and_progress_in_order(studio: JobStudio) -> None:
    project, asset_id = character(studio)
    started = start(studio, project, asset_id)
    assert started.status_code == 202, started.text
    task = started.json()
    assert (task["kind"], task["node_id"]) == ("tasks.assets.train_lora", asset_id)
    assert task["spec"]["placement"]["pipeline_id"] == "train-lora-sd1.5"
    repo = studio.repo_root(project)
    commits = int(git(repo, "rev-list", "--count", "HEAD"))

    done = run(studio, task["task_id"])
    assert done["state"] == "succeeded", done["error"]
    assert done["take_path"] == f"{FOLDER}/loras/Mara_Voss_v01.safetensors"
    progress = studio.events_of(task["task_id"], "server:task_progress")
    values = [event["progress"] for event in progress]
    assert values == sorted(values)
    metrics = [event["metrics"] for event in progress if "metrics" in event]
    assert [m["training_step"] for m in metrics] == [1, 2, 3]
    [success] = studio.events_of(task["task_id"], "server:task_success")
    assert success["result"]["output_url"].endswith("Mara_Voss_v01.safetensors")

    assert int(git(repo, "rev-list", "--count", "HEAD")) == commits + 1
    assert git(repo, "log", "-1", "--format=%s") == "asset: train 'Mara Voss' v01\n"
    assert git(repo, "status", "--porcelain") == ""
    lfs = set(git(repo, "lfs", "ls-files", "--name-only").split())
    assert {f"{FOLDER}/loras/Mara_Voss_v01.safetensors", f"{FOLDER}/loras/Mara_Voss_v01_sample1.png"} <= lfs
    asset = json.loads((repo / FOLDER / "asset.json").read_text())
    [version] = asset["versions"]
    assert (version["version"], version["base_model"], version["task_id"]) == (1, MODEL, task["task_id"])
    sidecar = json.loads((repo / FOLDER / version["sidecar"]).read_text())
    record = read_record(studio.settings.models_dir / MODEL)
    assert record is not None
    assert sidecar["base_model"] == {"name": MODEL, "weights_sha256": record.fingerprint}
    assert (sidecar["steps"], sidecar["rank"], sidecar["learning_rate"], sidecar["seed"]) == (3, 4, 1e-4, 5)
    assert [d["sha256"] for d in sidecar["dataset"]] == [i["sha256"] for i in asset["reference_images"]]
    assert [d["caption"] for d in sidecar["dataset"]] == ["sks_mara", "sks_mara"]
    assert sidecar["loss"] == [m["loss"] for m in metrics]
    assert sidecar["lora_sha256"] == version["sha256"]


def test_a_second_training_makes_v02_and_keeps_v01(studio: JobStudio) -> None:
    project, asset_id = character(studio)
    repo = studio.repo_root(project)
    assert run(studio, start(studio, project, asset_id).json()["task_id"])["state"] == "succeeded"
    v01 = (repo / FOLDER / "loras/Mara_Voss_v01.safetensors").read_bytes()
    done = run(studio, start(studio, project, asset_id, seed=6).json()["task_id"])
    assert done["state"] == "succeeded", done["error"]
    assert done["take_path"].endswith("Mara_Voss_v02.safetensors")
    assert (repo / FOLDER / "loras/Mara_Voss_v01.safetensors").read_bytes() == v01
    versions = json.loads((repo / FOLDER / "asset.json").read_text())["versions"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["sha256"] != versions[1]["sha256"]


def test_a_cancel_stops_training_and_commits_nothing(studio: JobStudio) -> None:
    project, asset_id = character(studio)
    repo = studio.repo_root(project)
    head = git(repo, "rev-parse", "HEAD")
    task_id = start(studio, project, asset_id, steps=20000).json()["task_id"]
    thread = studio.start(TrainLora(studio.settings, PipelineRunners(studio.settings)), task_id)
    wait_until(
        lambda: any("metrics" in e for e in studio.events_of(task_id, "server:task_progress")),
        "training reports a step",
        timeout_s=300,
    )
    assert studio.cancel(task_id)["state"] == "cancelled"
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert studio.task(task_id)["state"] == "cancelled"
    assert [e for e in ENDINGS if studio.events_of(task_id, e)] == []
    assert git(repo, "rev-parse", "HEAD") == head
    assert not (repo / FOLDER / "loras").exists()
    assert git(repo, "status", "--porcelain") == ""
    assert list(studio.settings.jobs_dir.iterdir()) == []


@pytest.mark.parametrize(
    ("images", "words"),
    [
        (0, "'Mara Voss' cannot be trained yet: 'Mara Voss' has 0 reference images; training needs at least 2: add 2"),
        (1, "has 1 reference image; training needs at least 2: add 1 more"),
    ],
)
def test_too_few_images_get_a_sentence(studio: JobStudio, images: int, words: str) -> None:
    project, asset_id = character(studio, images)
    refused = start(studio, project, asset_id)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert (error["code"], error["field"]) == ("not_trainable", "asset_id")
    assert words in error["message"] and error["message"].endswith(".")


def test_small_images_and_a_base_model_without_weights_are_named(job_studio: JobStudio) -> None:
    project, asset_id = character(job_studio)  # no model in the store
    refused = start(job_studio, project, asset_id, resolution=512)
    assert refused.status_code == 422
    message = refused.json()["error"]["message"]
    assert "stable-diffusion-v1-5" in message and "studio models pull stable-diffusion-v1-5" in message
    assert "are smaller than 256 px on a side" in message
    other = start(job_studio, project, asset_id, base_model="sdxl")
    assert other.status_code == 422
    assert "cannot be trained on 'sdxl' here; choose one of stable-diffusion-v1-5" in other.json()["error"]["message"]


def test_the_base_models_are_listed_default_first_with_what_their_weights_lack(
    client: TestClient, alice: TestUser, bob: TestUser, settings: Settings, tiny_store: TinyStore
) -> None:
    shutil.copytree(tiny_store.model(MODEL), settings.models_dir / MODEL)
    project = create_project(client, alice)
    url = f"/api/v1/projects/{project['id']}/training/base-models"
    listed = client.get(url, headers=alice.headers)
    assert listed.status_code == 200, listed.text
    sd15, flux = listed.json()
    assert {k: sd15[k] for k in ("base_model", "pipeline_id", "is_default")} == {
        "base_model": MODEL,
        "pipeline_id": "train-lora-sd1.5",
        "is_default": True,
    }
    assert sd15["name"] == "Stable Diffusion 1.5 (diffusers layout)"
    assert sd15["availability"]["weights_present"] is True
    assert {k: flux[k] for k in ("base_model", "pipeline_id", "is_default")} == {
        "base_model": "FLUX.1-dev",
        "pipeline_id": "train-lora-flux",
        "is_default": False,
    }
    assert flux["availability"]["weights_present"] is False and flux["availability"]["ready"] is False
    [missing] = [p for p in flux["availability"]["problems"] if p["fix"].startswith("studio models pull")]
    assert missing["fix"] == "studio models pull FLUX.1-dev"
    assert "the model 'FLUX.1-dev' (FLUX.1 [dev] (diffusers layout)) is not in the model store" in missing["message"]
    stranger = client.get(url, headers=bob.headers)
    assert (stranger.status_code, stranger.json()["error"]["code"]) == (404, "project_not_found")
