"""GET /healthz and /readyz: unauthenticated, and they name failing checks without telling any secret."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app
from server.dispatch.capabilities import Capabilities
from server.dispatch.registry import WorkerRegistry
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import make_settings
from tests.support.postgres import free_port


def test_healthz_answers_alive_without_a_token(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_readyz_names_redis_and_workers_when_redis_is_down_and_tells_nothing_secret(tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    redis_url = f"redis://:hunter2-password@127.0.0.1:{port}/0"
    settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}")
    app = create_app(settings)
    app.state.settings = settings.model_copy(update={"redis_url": redis_url})
    with TestClient(app) as client:
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "not_ready",
        "failing": ["redis", "workers"],
        "checks": {"database": True, "redis": False, "git_lfs": True, "workers": False},
    }
    for secret in ("hunter2", str(port), "127.0.0.1", str(tmp_path), "sqlite", "git-lfs/"):
        assert secret not in response.text


def test_readyz_is_ready_with_redis_and_a_live_worker_and_not_without_the_worker(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}")
        app = create_app(settings)
        app.state.settings = settings.model_copy(update={"redis_url": redis_server.url})
        registry = WorkerRegistry.from_url(redis_server.url)
        with TestClient(app) as client:
            without = client.get("/readyz")
            registry.announce("host:1", Capabilities(host="host", gpus=[], cpus=2, labels=[]))
            ready = client.get("/readyz")
            registry.withdraw("host:1")
            gone = client.get("/readyz")

    assert without.status_code == 503
    assert without.json()["failing"] == ["workers"]
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "failing": [],
        "checks": {"database": True, "redis": True, "git_lfs": True, "workers": True},
    }
    assert gone.status_code == 503
    assert str(tmp_path) not in ready.text + without.text
