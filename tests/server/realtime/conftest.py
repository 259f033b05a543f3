"""A live studio (real uvicorn + Socket.IO + embedded Redis) with users alice and bob and alice's project, and an
administrator, root."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from server.auth.users import create_user
from server.db.engine import create_db_engine, session_scope
from server.db.migrate import upgrade_database
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import TEST_SECRET
from tests.support.factories import PASSWORD
from tests.support.live_server import LiveServer
from tests.support.sockets import ProjectSocket


@dataclass
class Studio:
    server: LiveServer
    redis_url: str
    project_id: str
    slug: str
    tokens: dict[str, str]
    name: str

    def socket(self, user: str = "alice", *, reconnection: bool = False) -> ProjectSocket:
        return ProjectSocket(self.server.url, self.tokens[user], self.project_id, reconnection=reconnection)

    def get_project(self, user: str = "alice") -> dict[str, object]:
        response = httpx.get(
            f"{self.server.url}/api/v1/projects/{self.project_id}",
            headers={"Authorization": f"Bearer {self.tokens[user]}"},
        )
        response.raise_for_status()
        body: dict[str, object] = response.json()
        return body


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        yield redis_server.url


def start_studio(workspace: Path, redis_url: str, **env: str) -> tuple[LiveServer, dict[str, str]]:
    """A studio with users alice, bob and root (an administrator): the server and their tokens."""
    engine = create_db_engine(f"sqlite:///{workspace / '.studio' / 'studio.db'}")
    upgrade_database(engine)
    with session_scope(engine) as session:
        for name in ("alice", "bob", "root"):
            create_user(session, name, PASSWORD, is_admin=name == "root")
    engine.dispose()
    server = LiveServer(workspace, redis_url=redis_url, secret=TEST_SECRET, **env).start()
    return server, {name: server.token(name, PASSWORD) for name in ("alice", "bob", "root")}


def new_project(server: LiveServer, redis_url: str, tokens: dict[str, str]) -> Studio:
    """A project of alice's, named apart from the others on the studio (names are unique per owner)."""
    name = f"Live Film {next(PROJECT_NUMBERS)}"
    response = httpx.post(
        f"{server.url}/api/v1/projects", json={"name": name}, headers={"Authorization": f"Bearer {tokens['alice']}"}
    )
    assert response.status_code == 201, response.text
    created = response.json()
    return Studio(server, redis_url, created["id"], created["slug"], tokens, name)


PROJECT_NUMBERS = itertools.count(1)


@pytest.fixture
def studio_factory(tmp_path: Path, redis_url: str) -> Iterator[Callable[..., Studio]]:
    """A studio of its own, started with the settings given (for a test that changes the studio or its users)."""
    servers: list[LiveServer] = []

    def start(**env: str) -> Studio:
        server, tokens = start_studio(tmp_path / "ws", redis_url, **env)
        servers.append(server)
        return new_project(server, redis_url, tokens)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def second_server() -> Iterator[Callable[..., LiveServer]]:
    """Another server process of a studio, on its workspace (database, repositories) and its Redis."""
    started: list[LiveServer] = []

    def start(studio: Studio, **env: str) -> LiveServer:
        server = LiveServer(studio.server.workspace, redis_url=studio.redis_url, secret=TEST_SECRET, **env)
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


ModuleStudio = tuple[LiveServer, str, dict[str, str]]  # the server, its Redis URL, the users' tokens

# Tests of the channel send edits as fast as they can; the edit rate limit has tests of its own.
CHANNEL_SETTINGS = {"STUDIO_AUTOSAVE_SECONDS": "0.5", "STUDIO_SOCKET_EDITS_PER_SECOND": "100000"}


@pytest.fixture(scope="module")
def module_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleStudio]:
    """One studio for a test module's tests (its start is most of a channel test's time); each test has a project
    of its own on it."""
    tmp = tmp_path_factory.mktemp("studio")
    with EmbeddedRedis(tmp / "redis") as redis_server:
        server, tokens = start_studio(tmp / "ws", redis_server.url, **CHANNEL_SETTINGS)
        yield server, redis_server.url, tokens
        server.stop()


@pytest.fixture
def studio(module_studio: ModuleStudio) -> Studio:
    return new_project(*module_studio)
