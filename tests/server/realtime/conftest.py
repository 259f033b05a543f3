"""A live studio (real uvicorn + Socket.IO + embedded Redis) with users alice and bob and alice's project, and an
administrator, root."""

from __future__ import annotations

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


@pytest.fixture
def studio_factory(tmp_path: Path, redis_url: str) -> Iterator[Callable[..., Studio]]:
    servers: list[LiveServer] = []

    def start(**env: str) -> Studio:
        workspace = tmp_path / "ws"
        engine = create_db_engine(f"sqlite:///{workspace / '.studio' / 'studio.db'}")
        upgrade_database(engine)
        with session_scope(engine) as session:
            for name in ("alice", "bob", "root"):
                create_user(session, name, PASSWORD, is_admin=name == "root")
        engine.dispose()
        server = LiveServer(workspace, redis_url=redis_url, secret=TEST_SECRET, **env).start()
        servers.append(server)
        tokens = {name: server.token(name, PASSWORD) for name in ("alice", "bob", "root")}
        created = httpx.post(
            f"{server.url}/api/v1/projects",
            json={"name": "Live Film"},
            headers={"Authorization": f"Bearer {tokens['alice']}"},
        ).json()
        return Studio(server, redis_url, created["id"], created["slug"], tokens)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def studio(studio_factory: Callable[..., Studio]) -> Studio:
    # Tests of the channel send edits as fast as they can; the edit rate limit has tests of its own.
    return studio_factory(STUDIO_AUTOSAVE_SECONDS="0.5", STUDIO_SOCKET_EDITS_PER_SECOND="100000")
