"""A model pull as a studio task on the one job lifecycle: started over REST by an administrator, run by the real
lifecycle against a hub on loopback, its progress and end published to the studio room, cancellable mid-download."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from function_runner.weights import read_record
from server.dispatch.capabilities import Capabilities
from server.dispatch.registry import WorkerRegistry
from server.jobs.lifecycle import WATCH_POLL_S
from server.models.pull_job import PullModel
from tests.support.factories import TestUser, make_user
from tests.support.jobs import ENDINGS, JobStudio, job_studio, wait_until
from tests.support.local_hub import COMMIT, LocalHub, local_hub
from tests.support.model_folders import diffusers_folder

__all__ = ["job_studio"]  # the fixture, imported for these tests

NAME = "stable-diffusion-v1-5"
REPO = "stable-diffusion-v1-5/stable-diffusion-v1-5"  # what t2i-sd1.5's manifest pulls by default
UNET = "unet/diffusion_pytorch_model.safetensors"


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalHub]:
    with local_hub({REPO: diffusers_folder(tmp_path / "hub", "sd15")}) as running:
        monkeypatch.setenv("HF_ENDPOINT", running.url)  # the worker's hub, as on a real host
        try:
            yield running
        finally:
            running.released.set()


@pytest.fixture
def admin(job_studio: JobStudio) -> TestUser:
    return make_user(job_studio.client, job_studio.runtime.engine, "root", admin=True)


def start_pull(studio: JobStudio, user: TestUser, body: dict[str, Any] | None = None) -> Any:
    return studio.client.post(f"/api/v1/models/{NAME}/pull", json=body, headers=user.headers)


def started(studio: JobStudio, admin: TestUser, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = start_pull(studio, admin, body)
    assert response.status_code == 202, response.text
    task: dict[str, Any] = response.json()
    return task


def task_of(studio: JobStudio, admin: TestUser, task_id: str) -> dict[str, Any]:
    response = studio.client.get(f"/api/v1/tasks/{task_id}", headers=admin.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_pull_lands_the_model_with_its_progress_in_order(
    job_studio: JobStudio, admin: TestUser, hub: LocalHub
) -> None:
    task = started(job_studio, admin)
    assert (task["project_id"], task["node_id"], task["queue"]) == (None, None, "cpu")
    kind = "tasks.models.pull"
    assert task["spec"] == {"kind": kind, "name": NAME, "repo": REPO, "revision": "main", "replace": False}
    job_studio.start(PullModel(job_studio.settings), task["task_id"]).join(60)

    done = task_of(job_studio, admin, task["task_id"])
    assert (done["state"], done["progress"], done["error"]) == ("succeeded", 100.0, None)
    record = read_record(job_studio.settings.models_dir / NAME)
    assert record is not None and record.source is not None
    assert (record.source.repo, record.source.commit) == (REPO, COMMIT)
    assert sorted(record.files) == sorted(hub.files(REPO))
    assert not list(job_studio.settings.models_dir.glob(".*"))  # no download left aside

    ours = [(room, name, p) for room, name, p in job_studio.sink.published if p.get("task_id") == task["task_id"]]
    assert {room for room, _, _ in ours} == {None}  # the studio room: administrators only
    assert all("node_id" not in p for _, _, p in ours)
    progress = [p["progress"] for _, name, p in ours if name == "server:task_progress"]
    assert progress and progress == sorted(progress) and progress[-1] == 100.0  # every byte, in order
    assert {p["step"] for _, name, p in ours if name == "server:task_progress"} == {"Downloading"}
    assert [name for _, name, _ in ours][-1] == "server:task_success"
    assert [p["result"] for _, name, p in ours if name == "server:task_success"] == [{}]  # no project file


def test_a_cancel_mid_pull_leaves_only_the_resumable_download(
    job_studio: JobStudio, admin: TestUser, hub: LocalHub
) -> None:
    hub.hold.add(UNET)
    task_id = started(job_studio, admin)["task_id"]
    worker = job_studio.start(PullModel(job_studio.settings), task_id)
    assert hub.holding.wait(60), "the unet's download never started"
    cancelled = job_studio.client.post(f"/api/v1/tasks/{task_id}/cancel", headers=admin.headers)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled", cancelled.text
    # The job's watch has stopped the pull's token once its thread ends; then the hub sends the unet's rest,
    # whose chunk is where the pull sees the cancel.
    wait_until(lambda: f"watch-{task_id}" not in {t.name for t in threading.enumerate()}, "the watch saw the cancel")
    hub.released.set()
    worker.join(60)
    assert not worker.is_alive()

    store = job_studio.settings.models_dir
    assert [p.name for p in store.iterdir()] == [f".{NAME}.{COMMIT[:12]}.download"]  # no model, the partial kept
    assert task_of(job_studio, admin, task_id)["state"] == "cancelled"
    threading.Event().wait(3 * WATCH_POLL_S)  # nothing may come late: give it the chance
    assert task_of(job_studio, admin, task_id)["state"] == "cancelled"
    assert not [e for name in ENDINGS for e in job_studio.events_of(task_id, name)]


def test_only_an_administrator_starts_sees_or_cancels_a_pull(job_studio: JobStudio, admin: TestUser) -> None:
    alice = job_studio.user  # signed in, not an administrator
    refused = start_pull(job_studio, alice)
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "Only an administrator pulls models into the studio's model store."
    task_id = started(job_studio, admin)["task_id"]
    for method, path in (("GET", f"/api/v1/tasks/{task_id}"), ("POST", f"/api/v1/tasks/{task_id}/cancel")):
        response = job_studio.client.request(method, path, headers=alice.headers)
        assert response.status_code == 403, (method, path, response.text)
        assert "only an administrator sees or cancels it" in response.json()["error"]["message"]
    listed = job_studio.client.get("/api/v1/tasks", headers=admin.headers)
    assert [t["task_id"] for t in listed.json()] == [task_id]
    assert job_studio.client.get("/api/v1/tasks", headers=alice.headers).status_code == 403
    assert task_of(job_studio, admin, task_id)["state"] == "queued"  # her cancel changed nothing


def test_an_unknown_repository_fails_the_task_with_the_pull_errors_sentence(
    job_studio: JobStudio, admin: TestUser, hub: LocalHub
) -> None:
    task_id = started(job_studio, admin, {"repo": "nobody/nothing"})["task_id"]
    job_studio.start(PullModel(job_studio.settings), task_id).join(60)
    failed = task_of(job_studio, admin, task_id)
    sentence = "The Hub has no repository nobody/nothing (or it is private). Check --repo."
    assert (failed["state"], failed["error"]) == ("failed", sentence)
    assert [e["error"] for e in job_studio.events_of(task_id, "server:task_failed")] == [sentence]
    assert not job_studio.settings.models_dir.exists() or not any(job_studio.settings.models_dir.iterdir())


@pytest.mark.parametrize(
    ("name", "body", "fragment"),
    [
        (".hidden", None, "'.hidden'"),
        ("my-own-model", None, "No pipeline names a repository for the model 'my-own-model'"),
        (NAME, {"repo": "not a repo"}, "repo"),
        (NAME, {"worker": "gone:1"}, "No live worker 'gone:1'"),
    ],
)
def test_bad_input_is_refused_before_a_task_exists(
    job_studio: JobStudio, admin: TestUser, name: str, body: dict[str, Any] | None, fragment: str
) -> None:
    response = job_studio.client.post(f"/api/v1/models/{name}/pull", json=body, headers=admin.headers)
    assert response.status_code in (400, 422), response.text
    assert fragment in str(response.json()["error"])
    assert job_studio.client.get("/api/v1/tasks", headers=admin.headers).json() == []


def test_a_pull_for_a_worker_goes_to_its_hosts_queue(job_studio: JobStudio, admin: TestUser) -> None:
    assert job_studio.settings.redis_url is not None
    registry = WorkerRegistry.from_url(job_studio.settings.redis_url)
    registry.announce("gpubox:42", Capabilities(host="gpubox", gpus=[], cpus=4))
    task = started(job_studio, admin, {"worker": "gpubox:42"})
    assert task["queue"] == "host@gpubox"
