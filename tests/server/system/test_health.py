"""GET /api/v1/system/health with real dependencies."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from server.app import create_app
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import make_settings
from tests.support.factories import TestUser, make_user


def test_health_without_redis_is_degraded_and_says_what_to_do(client: TestClient, alice: TestUser) -> None:
    body = client.get("/api/v1/system/health", headers=alice.headers).json()
    assert body["status"] == "degraded"
    assert body["git_lfs"]["ok"] and body["database"]["ok"]
    assert body["redis"] == {
        "ok": False,
        "message": "No Redis is configured: start the studio with `studio up`, or set STUDIO_REDIS_URL.",
    }


def test_health_is_ok_with_the_embedded_redis(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "run") as redis_server:
        settings = make_settings(
            tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", redis_url=redis_server.url
        )
        with TestClient(create_app(settings)) as client:
            user = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
            body = client.get("/api/v1/system/health", headers=user.headers).json()
    assert body["status"] == "ok"
    assert body["redis"]["ok"] is True
    assert body["database"]["message"] == "sqlite is reachable."


def test_health_names_an_unreachable_redis(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path / "ws",
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}",
        redis_url=f"unix://{tmp_path / 'nothing.sock'}",
    )
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        admin = make_user(client, engine, "root", admin=True)
        user = make_user(client, engine, "alice")
        body = client.get("/api/v1/system/health", headers=admin.headers).json()
        as_user = client.get("/api/v1/system/health", headers=user.headers).json()
    assert body["redis"]["ok"] is False
    assert "nothing.sock" in body["redis"]["message"]
    assert body["workspace"] == str(settings.workspace_dir)
    # Everyone else learns what is wrong, not where the server keeps things.
    assert as_user["redis"] == {"ok": False, "message": "Redis does not answer; is it running? (STUDIO_REDIS_URL)"}
    assert as_user["workspace"] is None
    assert str(tmp_path) not in json.dumps(as_user)
