"""Operations across real processes: the request id of a generate reaches the worker's JSON log lines for its task,
the task's durations reach /metrics from the worker, and /readyz waits for a live worker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx

from tests.server.api.test_metrics import sample
from tests.server.generation.conftest import running_chain, shot_graph
from tests.support.jobs import wait_until

METRICS_TOKEN = "t" * 40
KIND = "tasks.shots.generate"


def json_lines(path: Path) -> list[dict[str, Any]]:
    """Every log line that is JSON (Celery's start-up banner is printed, not logged); each one must parse."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def test_a_generates_request_id_reaches_the_workers_log_and_its_durations_reach_metrics(tmp_path: Path) -> None:
    with running_chain(tmp_path, STUDIO_LOG_FORMAT="json", STUDIO_METRICS_TOKEN=METRICS_TOKEN) as chain:
        url = chain.server.url

        def scrape() -> str:
            return httpx.get(f"{url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).text

        assert httpx.get(f"{url}/readyz").json()["failing"] == ["workers"]
        project_id = chain.project(shot_graph("cpu-storyboard"), quality="low")
        response = httpx.post(
            f"{url}/api/v1/tasks/generate_shot",
            json={"project_id": project_id, "node_id": "shot"},
            headers={**chain.headers, "X-Request-ID": "trace-e2e-42"},
        )
        assert response.status_code == 202, response.text
        assert response.headers["X-Request-ID"] == "trace-e2e-42"
        task_id = response.json()["task_id"]
        assert sample(scrape(), "studio_tasks", kind=KIND, state="queued") == 1
        socket = chain.socket(project_id)
        try:
            assert sample(scrape(), "studio_socket_connections") == 1
        finally:
            socket.close()
        wait_until(lambda: sample(scrape(), "studio_socket_connections") == 0, "the closed socket is not counted")

        chain.start_worker(STUDIO_LOG_FORMAT="json")
        readiness = httpx.get(f"{url}/readyz")
        assert readiness.status_code == 200, readiness.text
        assert chain.wait_for(task_id)["state"] == "succeeded"
        wait_until(
            lambda: sample(scrape(), "studio_task_duration_seconds_count", kind=KIND, outcome="succeeded") == 1,
            "the worker reported the task's duration",
        )
        text = scrape()
        worker_log = chain.server.workspace.parent / "worker-0.log"

    assert sample(text, "studio_tasks", kind=KIND, state="queued") == 0
    assert sample(text, "studio_tasks", kind=KIND, state="succeeded") == 1
    for step in ("queued", "running"):
        assert sample(text, "studio_task_step_duration_seconds_count", kind=KIND, step=step, outcome="succeeded") == 1
    assert sample(text, "studio_workers") == 1
    lines = json_lines(worker_log)
    task_lines = [line for line in lines if line.get("task_id") == task_id]
    assert len(task_lines) >= 2, lines[-10:]  # the lifecycle's start and end at least
    assert all(line["request_id"] == "trace-e2e-42" for line in task_lines)
    assert all(line["project_id"] == project_id for line in task_lines)
    assert any(line["message"].endswith(f"{task_id} ended succeeded after {line['message'].split()[-2]} s")
               for line in task_lines)  # fmt: skip
    assert {"time", "level", "logger", "message"} <= set(task_lines[0])
