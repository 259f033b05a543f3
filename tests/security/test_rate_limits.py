"""Password guessing is slowed down: failed sign-ins are counted per username and per client address over
POST /auth/token and git's HTTP Basic auth, and answered 429 with Retry-After past the limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.app import create_app
from server.auth.users import create_user
from server.db.engine import session_scope
from server.gitserve.client_env import basic_authorization
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import make_settings
from tests.support.factories import PASSWORD, create_project, make_user
from tests.support.inprocess_server import InProcessServer

LIMITS = {"sign_in_failures_per_user": 3, "sign_in_failures_per_address": 5, "sign_in_window_s": 600}


def _studio(workspace: Path, **overrides: object) -> FastAPI:
    app = create_app(make_settings(workspace, **{**LIMITS, **overrides}))
    with session_scope(app.state.engine) as session:
        for name in ("alice", "bob", "carol"):
            create_user(session, name, PASSWORD)
    return app


@pytest.fixture
def studio(tmp_path: Path) -> Iterator[TestClient]:
    app = _studio(tmp_path / "ws")
    with TestClient(app) as client:
        yield client
    app.state.engine.dispose()


def _sign_in(client: TestClient, username: str, password: str) -> httpx.Response:
    return client.post("/auth/token", data={"username": username, "password": password})


def test_guessing_one_accounts_password_is_stopped(studio: TestClient) -> None:
    for guess in ("123456", "password", "letmein"):
        assert _sign_in(studio, "alice", guess).status_code == 401
    blocked = _sign_in(studio, "alice", "qwerty")
    assert blocked.status_code == 429
    assert 0 < int(blocked.headers["Retry-After"]) <= LIMITS["sign_in_window_s"]
    assert blocked.json()["error"]["code"] == "rate_limited"
    # Even the right password waits: otherwise the 429 would only hide which guesses were wrong.
    assert _sign_in(studio, "alice", PASSWORD).status_code == 429
    # Variants of the name count as the same account.
    assert _sign_in(studio, "ALICE", "qwerty").status_code == 429
    # Another account is not locked by alice's attacker (until the address itself is).
    assert _sign_in(studio, "bob", PASSWORD).status_code == 200


def test_spraying_many_accounts_from_one_address_is_stopped(studio: TestClient) -> None:
    for number in range(LIMITS["sign_in_failures_per_address"]):
        assert _sign_in(studio, f"user{number}", "123456").status_code == 401
    blocked = _sign_in(studio, "carol", PASSWORD)
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_successful_sign_ins_are_not_counted(studio: TestClient) -> None:
    for _ in range(LIMITS["sign_in_failures_per_user"] * 3):
        assert _sign_in(studio, "alice", PASSWORD).status_code == 200


def test_git_basic_auth_shares_the_limit(tmp_path: Path) -> None:
    app = _studio(tmp_path / "ws")
    with TestClient(app) as client:
        alice = make_user(client, app.state.engine, "dave")
        slug = create_project(client, alice, "Guarded")["slug"]
        with InProcessServer(app) as live:
            url = f"{live.url}/git/{slug}.git/info/refs"

            def fetch(password: str) -> httpx.Response:
                headers = {"Authorization": basic_authorization("dave", password)}
                return httpx.get(url, params={"service": "git-upload-pack"}, headers=headers)

            assert fetch("guess-1").status_code == 401
            assert _sign_in(client, "dave", "guess-2").status_code == 401  # the same count, another way in
            assert fetch("guess-3").status_code == 401
            blocked = fetch(PASSWORD)
            assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
            assert _sign_in(client, "dave", PASSWORD).status_code == 429
    app.state.engine.dispose()


def test_the_count_holds_across_server_processes_through_redis(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        first, second = (_studio(tmp_path / name, redis_url=redis_server.url) for name in ("a", "b"))
        try:
            with TestClient(first) as one, TestClient(second) as other:
                for guess in ("1", "2", "3"):
                    assert _sign_in(one, "alice", f"guess-{guess}").status_code == 401
                assert _sign_in(other, "alice", PASSWORD).status_code == 429
                assert _sign_in(other, "bob", PASSWORD).status_code == 200
        finally:
            first.state.engine.dispose()
            second.state.engine.dispose()


def test_without_redis_signing_in_still_works_and_the_limit_still_holds(tmp_path: Path) -> None:
    app = _studio(tmp_path / "ws", redis_url=f"unix://{tmp_path / 'nothing.sock'}")
    with TestClient(app) as client:
        assert _sign_in(client, "bob", PASSWORD).status_code == 200
        for guess in ("1", "2", "3"):
            assert _sign_in(client, "alice", f"guess-{guess}").status_code == 401
        assert _sign_in(client, "alice", PASSWORD).status_code == 429
    app.state.engine.dispose()
