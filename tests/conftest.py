"""Shared fixtures: an isolated workspace, the real app over SQLite or PostgreSQL, users."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from server.app import create_app
from server.config import Settings
from tests.support.chromium import browser  # noqa: F401  (one Chromium per session, for every test that drives one)
from tests.support.factories import TestUser, make_user
from tests.support.postgres import PostgresServer
from tests.support.stack_models import STACKS_CACHE

TEST_SECRET = "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"

# pytest-xdist's workers start with COLUMNS=80 and LINES=24 set: a rich Console made while they are set (the CLI
# modules make theirs when imported) keeps 80 columns whatever a test sets later. Unset, it reads the size each
# time it prints, as in a run without workers.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session", autouse=True)
def shared_stacks() -> Iterator[None]:
    """Studio processes the tests start (servers, workers) use the shared stack virtualenvs, not a fresh
    one per workspace (minutes to build): STUDIO_STACKS_DIR, as `./dev.sh test` sets it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("STUDIO_STACKS_DIR", str(STACKS_CACHE))
        yield


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


def make_settings(workspace: Path, **overrides: object) -> Settings:
    return Settings(_env_file=None, workspace=workspace, secret_key=TEST_SECRET, **overrides)  # type: ignore[arg-type]


@pytest.fixture(params=["sqlite"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite by default; tests that must hold for both backends parametrize this with "postgres"."""
    if request.param == "postgres":
        server: PostgresServer = request.getfixturevalue("postgres")
        return server.create_database(f"t{abs(hash(tmp_path)) % 10**12}")
    return f"sqlite:///{tmp_path / 'studio.db'}"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "workspace", database_url=database_url)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def engine(app: FastAPI) -> Engine:
    engine: Engine = app.state.engine
    return engine


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def user_factory(client: TestClient, engine: Engine) -> Callable[..., TestUser]:
    def factory(username: str, *, admin: bool = False) -> TestUser:
        return make_user(client, engine, username, admin=admin)

    return factory


@pytest.fixture
def alice(user_factory: Callable[..., TestUser]) -> TestUser:
    return user_factory("alice")


@pytest.fixture
def bob(user_factory: Callable[..., TestUser]) -> TestUser:
    return user_factory("bob")
