"""A studio whose long jobs run inside the test process: the real app and its Celery queue over an embedded Redis,
the real job kinds run by the real lifecycle in a thread (as a worker's pool process would), and every event the
jobs publish checked against schemas/ws-events by a RecordingSink."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.config import REPO_ROOT, Settings
from server.jobs.lifecycle import Job, JobRuntime, run_job
from server.system.embedded_redis import EmbeddedRedis
from server.tasks.celery_app import CeleryJobQueue, create_celery_app
from tests.conftest import make_settings
from tests.support.factories import TestUser, make_user
from tests.support.recording_sink import RecordingSink

TEST_PIPELINES = REPO_ROOT / "tests" / "server" / "generation" / "pipelines"
# What ends a task on its node: after a cancel none of these may come.
ENDINGS = ("server:task_success", "server:task_failed")


@dataclass
class JobStudio:
    settings: Settings
    client: TestClient
    user: TestUser
    sink: RecordingSink
    runtime: JobRuntime

    def start(self, job: Job[Any], task_id: str) -> threading.Thread:
        """Run the task as a worker would, in a thread."""
        thread = threading.Thread(target=run_job, args=(self.runtime, job, task_id), daemon=True)
        thread.start()
        return thread

    def save_graph(self, project: dict[str, Any], graph: dict[str, Any]) -> None:
        saved = self.client.put(
            f"/api/v1/projects/{project['id']}",
            json={"version": project["version"], "graph": graph},
            headers=self.user.headers,
        )
        assert saved.status_code == 200, saved.text

    def task(self, task_id: str) -> dict[str, Any]:
        response = self.client.get(f"/api/v1/tasks/{task_id}", headers=self.user.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def cancel(self, task_id: str) -> dict[str, Any]:
        response = self.client.post(f"/api/v1/tasks/{task_id}/cancel", headers=self.user.headers)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def events_of(self, task_id: str, name: str) -> list[dict[str, Any]]:
        return [p for p in self.sink.named(name) if p.get("task_id") == task_id]

    def repo_root(self, project: dict[str, Any]) -> Path:
        return self.settings.projects_dir / project["slug"]


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not so after {timeout_s} s")
        time.sleep(0.05)


def running_children(match: Callable[[int], bool]) -> list[int]:
    """Live (not zombie) child processes of this test process for which `match(pid)` holds."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == os.getpid() and fields[0] != "Z" and match(int(entry.name)):
                found.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue  # it ended while we looked
    return found


def command_of(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")


@pytest.fixture
def job_studio(tmp_path: Path) -> Iterator[JobStudio]:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        settings = make_settings(
            tmp_path / "workspace",
            runner_backend="process",
            pipeline_dirs=[TEST_PIPELINES, REPO_ROOT / "pipeline_images"],
        )
        # The app's own Socket.IO Redis manager is left out (no socket listens here; the job events go to the
        # recording sink): the app gets Redis only for its job queue and the worker registry.
        app = create_app(settings)
        settings = app.state.settings = settings.model_copy(update={"redis_url": redis_server.url})
        celery = create_celery_app(redis_server.url, settings.visibility_timeout_s)
        app.state.jobs = CeleryJobQueue(celery)
        try:
            with TestClient(app) as client:
                user = make_user(client, app.state.engine, "alice")
                sink = RecordingSink()
                yield JobStudio(settings, client, user, sink, JobRuntime(settings, app.state.engine, sink))
        finally:
            celery.close()
