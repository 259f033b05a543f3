"""Queue control against real Celery workers on an embedded Redis: the studio's order decides which task a worker
takes (move to the front), a paused project's tasks are held without being lost, and each task records the worker
and GPU it ran on."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from server.dispatch.registry import WorkerRegistry
from tests.server.generation.conftest import Chain, shot_graph


def post(chain: Chain, path: str) -> dict[str, Any]:
    response = httpx.post(f"{chain.server.url}{path}", headers=chain.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def started(task: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(task["started_at"])


def test_a_worker_takes_tasks_in_the_studio_s_order_and_a_paused_project_waits(chain: Chain) -> None:
    # Everything is queued before any worker runs, so only the studio's order decides what runs first.
    held_project = chain.project(shot_graph("cpu-storyboard"), quality="low")
    held = chain.generate(held_project)  # queued first: without the pause it would run first
    paused = post(chain, f"/api/v1/projects/{held_project}/queue/pause")
    assert (paused["paused"], paused["paused_by"], paused["queued"]) == (True, "alice", 1)
    project_id = chain.project(shot_graph("cpu-storyboard"), quality="low")
    first, second, third = (chain.generate(project_id) for _ in range(3))
    moved = post(chain, f"/api/v1/tasks/{third['task_id']}/move_to_front")
    assert moved["state"] == "queued"

    chain.start_worker(concurrency=1)
    done = [chain.wait_for(t["task_id"], timeout=120) for t in (first, second, third)]
    assert [t["state"] for t in done] == ["succeeded"] * 3
    # One worker slot: the moved task ran first, then the others in the order they were queued.
    assert sorted(done, key=started) == [done[2], done[0], done[1]]
    # The paused project's task, queued before all three, was held while they ran, and is still there.
    assert chain.task(held["task_id"])["state"] == "queued"

    [worker] = WorkerRegistry.from_url(chain.redis_url).live()
    assert {t["worker"] for t in done} == {worker.worker_id}
    assert {t["gpu"] for t in done} == {None}  # the CPU queue

    resumed = post(chain, f"/api/v1/projects/{held_project}/queue/resume")
    assert (resumed["paused"], resumed["paused_by"]) == (False, None)
    assert chain.wait_for(held["task_id"], timeout=120)["state"] == "succeeded"


def test_a_gpu_task_records_the_gpu_of_the_worker_it_ran_on(chain: Chain) -> None:
    chain.start_worker(gpus='[{"name": "Test 24G", "vram_gb": 24, "free_vram_gb": 20}]')
    project_id = chain.project(shot_graph(), quality="high", hardware_policy="queue")
    done = chain.wait_for(chain.generate(project_id)["task_id"])
    assert (done["state"], done["queue"], done["gpu"]) == ("succeeded", "gpu.24", "Test 24G #0")
    workers = httpx.get(f"{chain.server.url}/api/v1/system/workers", headers=chain.headers).json()
    [worker] = workers
    assert done["worker"] == worker["worker_id"]
    assert [(g["total_vram_gb"], g["free_vram_gb"]) for g in worker["gpus"]] == [(24.0, 20.0)]
    assert worker["current_tasks"] == []  # it finished
    assert 0 <= worker["heartbeat_age_s"] < 60
