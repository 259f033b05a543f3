"""GET /metrics: who may scrape it, and what moves when requests come and tasks are submitted."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.system.embedded_redis import EmbeddedRedis
from server.tasks.celery_app import CeleryJobQueue, create_celery_app
from tests.conftest import make_settings
from tests.support.factories import TestUser, create_project, make_user

METRICS_TOKEN = "m" * 40


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus text, or None when there is no such series."""
    wanted = ",".join(f'{key}="{value}"' for key, value in sorted(labels.items()))
    for line in text.splitlines():
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if match and match.group(1) == name:
            got = ",".join(sorted(match.group(2).split(","))) if match.group(2) else ""
            if got == wanted:
                return float(match.group(3))
    return None


def test_the_scrape_needs_an_admin_or_the_metrics_token(
    tmp_path: Path, user_factory: Callable[..., TestUser], client: TestClient
) -> None:
    admin, alice = user_factory("root", admin=True), user_factory("alice")

    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401
    assert "Sign in first" in anonymous.json()["error"]["message"]
    refused = client.get("/metrics", headers=alice.headers)
    assert refused.status_code == 403
    assert "STUDIO_METRICS_TOKEN" in refused.json()["error"]["message"]
    allowed = client.get("/metrics", headers=admin.headers)
    assert allowed.status_code == 200
    assert allowed.headers["content-type"].startswith("text/plain")
    assert "studio_tasks" in allowed.text
    # Without a configured token, no bearer value stands in for it.
    assert client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 401


def test_the_configured_token_scrapes_and_a_wrong_one_is_refused(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}", metrics_token=METRICS_TOKEN)
    with TestClient(create_app(settings)) as client:
        assert client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}).status_code == 200
        wrong = client.get("/metrics", headers={"Authorization": f"Bearer {'n' * 40}"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "not_authenticated"


def test_a_placeholder_metrics_token_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="STUDIO_METRICS_TOKEN must be a random string"):
        make_settings(tmp_path, metrics_token="changeme")


def test_requests_are_counted_under_their_route_template_not_their_path(
    client: TestClient, user_factory: Callable[..., TestUser]
) -> None:
    admin = user_factory("root", admin=True)
    project = create_project(client, admin)
    for _ in range(2):
        assert client.get(f"/api/v1/projects/{project['id']}", headers=admin.headers).status_code == 200
    assert client.get("/api/v1/projects/no-such-id", headers=admin.headers).status_code == 404

    text = client.get("/metrics", headers=admin.headers).text

    route = "/api/v1/projects/{project_id}"
    name = "studio_http_request_duration_seconds_count"
    assert sample(text, name, method="GET", route=route, status="200") == 2
    assert sample(text, name, method="GET", route=route, status="404") == 1
    assert project["id"] not in text and "no-such-id" not in text


def test_git_bytes_out_are_counted(client: TestClient, user_factory: Callable[..., TestUser]) -> None:
    admin = user_factory("root", admin=True)
    refused = client.get("/git/nothing.git/info/refs", params={"service": "git-upload-pack"})
    assert refused.status_code == 401

    text = client.get("/metrics", headers=admin.headers).text

    assert sample(text, "studio_git_transfer_bytes_total", protocol="git", direction="out") == len(refused.content)
    assert sample(text, "studio_git_transfer_bytes_total", protocol="lfs", direction="out") is None


@pytest.fixture
def queued_studio(tmp_path: Path) -> Iterator[tuple[TestClient, TestUser]]:
    """The real app with Redis and its Celery queue, and no worker: what is submitted stays queued. (Its Socket.IO
    Redis manager is left out, as in tests/support/jobs.py: no socket listens here.)"""
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}")
        app = create_app(settings)
        app.state.settings = settings.model_copy(update={"redis_url": redis_server.url})
        celery = create_celery_app(redis_server.url, settings.visibility_timeout_s)
        app.state.jobs = CeleryJobQueue(celery)
        app.state.metrics.scrape.redis_url = redis_server.url
        try:
            with TestClient(app) as client:
                yield client, make_user(client, app.state.engine, "root", admin=True)
        finally:
            celery.close()


def test_a_submitted_task_is_counted_queued_and_waits_in_its_queue(
    queued_studio: tuple[TestClient, TestUser],
) -> None:
    client, admin = queued_studio
    project = create_project(client, admin)
    graph = {
        "schema_version": 1,
        "nodes": [
            {
                "id": "shot",
                "type": "ShotNode",
                "position": {"x": 0, "y": 0},
                "data": {"shot_id": "SHOT-010", "prompt": "a boat"},
            }
        ],
        "edges": [],
    }
    saved = client.put(f"/api/v1/projects/{project['id']}", json={"version": 1, "graph": graph}, headers=admin.headers)
    assert saved.status_code == 200, saved.text
    kind = "tasks.shots.generate"
    before = client.get("/metrics", headers=admin.headers).text
    assert sample(before, "studio_tasks", kind=kind, state="queued") == 0
    assert sample(before, "studio_queue_depth", queue="cpu") == 0

    submitted = client.post(
        "/api/v1/tasks/generate_shot", json={"project_id": project["id"], "node_id": "shot"}, headers=admin.headers
    )
    assert submitted.status_code == 202, submitted.text
    after = client.get("/metrics", headers=admin.headers).text

    assert sample(after, "studio_tasks", kind=kind, state="queued") == 1
    assert sample(after, "studio_queue_depth", queue=submitted.json()["queue"]) == 1
    assert sample(after, "studio_metrics_source_up", source="redis") == 1
    assert sample(after, "studio_workers") == 0
