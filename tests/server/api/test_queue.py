"""The tasks panel's REST side: listing a project's tasks (members) and the studio's (admins) in queue order and
in pages, moving a task to the front and pausing a queue (editors; viewers only look), and the workers listing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from server.db.tables import Task, TaskState, utcnow
from server.dispatch.capabilities import Capabilities, Gpu
from server.dispatch.registry import WorkerRegistry
from server.jobs import rows
from tests.support.factories import PASSWORD, TestUser, create_project, make_user
from tests.support.jobs import JobStudio, job_studio  # noqa: F401 (a fixture)
from tests.support.recording_sink import RecordingSink


@pytest.fixture
def film(client: TestClient, alice: TestUser, user_factory: Callable[..., TestUser]) -> dict[str, Any]:
    project = create_project(client, alice)
    for username, role in (("vera", "viewer"), ("ed", "editor")):
        user_factory(username)
        added = client.put(
            f"/api/v1/projects/{project['id']}/members", json={"username": username, "role": role},
            headers=alice.headers,
        )  # fmt: skip
        assert added.status_code == 200, added.text
    return project


def login(client: TestClient, username: str) -> dict[str, str]:
    token = client.post("/auth/token", data={"username": username, "password": PASSWORD}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def add_task(engine: Engine, project_id: str, task_id: str, state: TaskState, position: int, **values: Any) -> None:
    with Session(engine) as session:
        session.add(Task(id=task_id, project_id=project_id, node_id="shot", kind="tasks.shots.generate",
                         queue="cpu", spec=SPEC, state=state, position=position, **values))  # fmt: skip
        session.commit()


SPEC = {
    "kind": "tasks.shots.generate",
    "placement": {"pipeline_id": "cpu-storyboard", "quality_requested": "low", "quality_used": "low",
                  "queue": "cpu", "vram_gb": 0.0},
    "steps": [],
    "slots": {},
}  # fmt: skip


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [t["task_id"] for t in response.json()]


def test_a_project_s_tasks_come_running_then_queued_in_order_then_finished_newest_first(
    client: TestClient, engine: Engine, alice: TestUser, film: dict[str, Any]
) -> None:
    now = utcnow()
    add_task(engine, film["id"], "old", TaskState.SUCCEEDED, 1, finished_at=now - timedelta(minutes=5))
    add_task(engine, film["id"], "new", TaskState.FAILED, 2, finished_at=now, error="boom")
    add_task(engine, film["id"], "q2", TaskState.QUEUED, 20)
    add_task(engine, film["id"], "q1", TaskState.QUEUED, 10)
    add_task(engine, film["id"], "run", TaskState.RUNNING, 3, worker="host:7", gpu="RTX 4090 #0", progress=42.0)
    url = f"/api/v1/projects/{film['id']}/tasks"
    viewer = login(client, "vera")
    assert ids(client.get(url, headers=viewer)) == ["run", "q1", "q2", "new", "old"]
    running = client.get(url, headers=viewer).json()[0]
    assert (running["worker"], running["gpu"], running["progress"]) == ("host:7", "RTX 4090 #0", 42.0)
    assert ids(client.get(url, params={"state": ["queued", "running"]}, headers=viewer)) == ["run", "q1", "q2"]

    page = client.get(url, params={"limit": 2}, headers=viewer)
    assert ids(page) == ["run", "q1"]
    following = page.links["next"]["url"]
    assert ids(client.get(following, headers=viewer)) == ["q2", "new"]
    assert "next" in client.get(following, headers=viewer).links
    last = client.get(url, params={"limit": 2, "offset": 4}, headers=viewer)
    assert ids(last) == ["old"] and "next" not in last.links

    refused = client.get(url, params={"state": "sleeping"}, headers=viewer)
    assert refused.status_code == 422


def test_only_administrators_see_every_project_s_tasks(
    client: TestClient, engine: Engine, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    theirs = create_project(client, bob, "Bob's film")
    mine = create_project(client, alice, "Alice's film")
    add_task(engine, theirs["id"], "b1", TaskState.QUEUED, 2)
    add_task(engine, mine["id"], "a1", TaskState.QUEUED, 1)
    refused = client.get("/api/v1/tasks", headers=alice.headers)
    assert refused.status_code == 403
    assert "Only an administrator" in refused.json()["error"]["message"]
    admin = user_factory("root", admin=True)
    assert ids(client.get("/api/v1/tasks", headers=admin.headers)) == ["a1", "b1"]


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_editors_move_a_queued_task_to_the_front_of_their_project_and_viewers_cannot(
    client: TestClient, engine: Engine, film: dict[str, Any]
) -> None:
    for task_id, position in (("q1", 10), ("q2", 20), ("q3", 30)):
        add_task(engine, film["id"], task_id, TaskState.QUEUED, position)
    add_task(engine, film["id"], "run", TaskState.RUNNING, 5)
    viewer, editor = login(client, "vera"), login(client, "ed")
    refused = client.post("/api/v1/tasks/q3/move_to_front", headers=viewer)
    assert refused.status_code == 403
    moved = client.post("/api/v1/tasks/q3/move_to_front", headers=editor)
    assert moved.status_code == 200, moved.text
    url = f"/api/v1/projects/{film['id']}/tasks"
    assert ids(client.get(url, params={"state": "queued"}, headers=viewer)) == ["q3", "q1", "q2"]
    # The front already: nothing changes.
    assert client.post("/api/v1/tasks/q3/move_to_front", headers=editor).status_code == 200
    assert ids(client.get(url, params={"state": "queued"}, headers=viewer)) == ["q3", "q1", "q2"]
    busy = client.post("/api/v1/tasks/run/move_to_front", headers=editor)
    assert busy.status_code == 409
    assert busy.json()["error"]["message"] == "Task 'run' is running; only a queued task can be moved."
    assert client.post("/api/v1/tasks/nope/move_to_front", headers=editor).status_code == 404


def test_pausing_holds_the_project_s_tasks_tells_their_nodes_why_and_viewers_cannot_pause(
    app: FastAPI, client: TestClient, engine: Engine, film: dict[str, Any]
) -> None:
    add_task(engine, film["id"], "q1", TaskState.QUEUED, 1)
    app.state.events = sink = RecordingSink()
    viewer, editor = login(client, "vera"), login(client, "ed")
    queue_url = f"/api/v1/projects/{film['id']}/queue"
    assert client.post(f"{queue_url}/pause", headers=viewer).status_code == 403
    paused = client.post(f"{queue_url}/pause", headers=editor)
    assert paused.status_code == 200, paused.text
    assert paused.json() == {"project_id": film["id"], "paused": True, "paused_by": "ed", "queued": 1, "running": 0}
    assert client.get(queue_url, headers=viewer).json()["paused_by"] == "ed"
    [note] = sink.named("server:notification")
    assert (note["code"], note["node_id"], note["task_id"]) == ("queue_paused", "shot", "q1")
    assert note["message"] == "Waiting: ed paused this project's queue. Resume it in the Tasks panel to run this task."
    assert rows.claim_next(engine, "m1", "cpu", rows.Seat()) is None  # held
    # This app has no Redis: a resume that could not send the held tasks changes nothing and says why.
    refused = client.post(f"{queue_url}/resume", headers=editor)
    assert refused.status_code == 422
    assert "need Redis and a worker" in refused.json()["error"]["message"]
    assert client.get(queue_url, headers=viewer).json()["paused"] is True


def test_resume_sends_the_held_tasks_again(job_studio: JobStudio) -> None:  # noqa: F811
    client, headers = job_studio.client, job_studio.user.headers
    project = create_project(client, job_studio.user)
    add_task(job_studio.runtime.engine, project["id"], "q1", TaskState.QUEUED, 1)
    queue_url = f"/api/v1/projects/{project['id']}/queue"
    assert client.post(f"{queue_url}/pause", headers=headers).json()["paused"] is True
    assert rows.claim_next(job_studio.runtime.engine, "m1", "cpu", rows.Seat()) is None
    resumed = client.post(f"{queue_url}/resume", headers=headers)
    assert resumed.json() == {
        "project_id": project["id"],
        "paused": False,
        "paused_by": None,
        "queued": 1,
        "running": 0,
    }
    assert rows.claim_next(job_studio.runtime.engine, "m2", "cpu", rows.Seat()) == "q1"


def test_workers_list_their_gpus_heartbeat_and_only_the_tasks_the_caller_may_see(
    job_studio: JobStudio,  # noqa: F811
) -> None:
    client, alice = job_studio.client, job_studio.user
    registry = WorkerRegistry.from_url(job_studio.settings.redis_url or "")
    gpu = Gpu(0, "RTX 4090", 24.0, 6.5)
    registry.announce("gpu-host:11", Capabilities("gpu-host", [gpu], 16))
    project = create_project(client, alice)
    add_task(job_studio.runtime.engine, project["id"], "r1", TaskState.RUNNING, 1, worker="gpu-host:11",
             gpu="RTX 4090 #0", progress=30.0)  # fmt: skip
    [worker] = client.get("/api/v1/system/workers", headers=alice.headers).json()
    assert (worker["worker_id"], worker["host"], worker["queues"]) == (
        "gpu-host:11",
        "gpu-host",
        ["gpu.24", "gpu.16", "gpu.12", "cpu", "host@gpu-host"],
    )
    assert [(g["name"], g["total_vram_gb"], g["free_vram_gb"]) for g in worker["gpus"]] == [("RTX 4090", 24.0, 6.5)]
    assert 0 <= worker["heartbeat_age_s"] < 15
    assert worker["current_tasks"] == [
        {"task_id": "r1", "project_id": project["id"], "node_id": "shot", "progress": 30.0, "gpu": "RTX 4090 #0"}
    ]
    stranger = make_user(client, job_studio.runtime.engine, "stranger")
    [seen] = client.get("/api/v1/system/workers", headers=stranger.headers).json()
    assert seen["current_tasks"] == []  # a project they cannot open
