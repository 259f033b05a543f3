"""Fixtures for git hosting: a live server with a recording event sink, git clients, a project."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.factories import PASSWORD, TestUser, create_project
from tests.support.git_client import GitClient
from tests.support.inprocess_server import InProcessServer
from tests.support.recording_sink import RecordingSink


@pytest.fixture
def events(app: FastAPI) -> RecordingSink:
    sink = RecordingSink()
    app.state.events = sink
    return sink


@pytest.fixture
def live(app: FastAPI, events: RecordingSink) -> Iterator[InProcessServer]:
    with InProcessServer(app) as server:
        yield server


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(client, alice, "Git Film")


@pytest.fixture
def repo_url(live: InProcessServer, project: dict[str, Any]) -> str:
    return f"{live.url}/git/{project['slug']}.git"


def _client(tmp_path: Path, username: str, secret: str) -> GitClient:
    home = tmp_path / f"home-{username}"
    home.mkdir(exist_ok=True)
    return GitClient(username, secret, home)


@pytest.fixture
def alice_git(tmp_path: Path, alice: TestUser) -> GitClient:
    return _client(tmp_path, alice.username, PASSWORD)


@pytest.fixture
def bob_git(tmp_path: Path, bob: TestUser) -> GitClient:
    return _client(tmp_path, bob.username, PASSWORD)


@pytest.fixture(autouse=True)
def _close_database_connections(request: pytest.FixtureRequest) -> Iterator[None]:
    # Pooled PostgreSQL connections warn when garbage-collected unclosed (warnings are errors here).
    app: FastAPI | None = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    if app is not None:
        app.state.engine.dispose()
