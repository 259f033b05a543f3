"""The whole chain, real parts only: studio server, embedded Redis, Celery worker processes, pipelines."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from server.auth.users import create_user
from server.db.engine import create_db_engine, session_scope
from server.db.migrate import upgrade_database
from server.dispatch.registry import WorkerRegistry
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import TEST_SECRET
from tests.support.factories import PASSWORD
from tests.support.live_server import LiveServer
from tests.support.sockets import ProjectSocket

ROOT = Path(__file__).resolve().parents[3]
TEST_PIPELINES = Path(__file__).resolve().parent / "pipelines"
# Every GPU tier names the 24 GB stand-in, so on a CPU-only host only the CPU tier fits.
QUALITY_MAP = {
    "schema_version": 1,
    "task_types": {
        "generate-image": {
            "low": "test-gpu-image",
            "standard": "test-gpu-image",
            "high": "test-gpu-image",
            "cpu": "cpu-storyboard",
        },
        "tts": dict.fromkeys(("low", "standard", "high", "cpu"), "cpu-tts-espeak"),
    },
}


@dataclass
class Chain:
    server: LiveServer
    redis_url: str
    env: dict[str, str]
    token: str
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def start_worker(
        self, gpus: str = "none", concurrency: int = 1, *, host: Path | None = None, **env: str
    ) -> subprocess.Popen[bytes]:
        """A worker beside the server, or (`host`) one whose cwd and HOME are `host` and whose environment is only
        `env` (no STUDIO_ setting of the server's: not its workspace, not its secret)."""
        before = {w.worker_id for w in WorkerRegistry.from_url(self.redis_url).live()}
        log = (self.server.workspace.parent / f"worker-{len(self.workers)}.log").open("ab")
        if host is None:
            environment = {**self.env, "STUDIO_WORKER_GPUS": gpus, **env}
        else:
            own = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_") or k == "STUDIO_STACKS_DIR"}
            environment = {**own, "HOME": str(host), "STUDIO_WORKER_GPUS": gpus, **env}
        worker = subprocess.Popen(
            [sys.executable, "-m", "server", "worker", "--concurrency", str(concurrency)],
            env=environment,
            cwd=host or self.server.workspace.parent,
            stdout=log,
            stderr=log,
            start_new_session=True,  # its own process group: kill -9 reaches the pool children too
        )
        log.close()
        self.workers.append(worker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if {w.worker_id for w in WorkerRegistry.from_url(self.redis_url).live()} - before:
                return worker
            time.sleep(0.2)
        raise AssertionError("the worker did not announce itself within 60 s")

    def start_stateless_worker(self, host: Path, token: str) -> subprocess.Popen[bytes]:
        """A worker on "another host" (README: Stateless workers): its own directory, the studio's URL, Redis and
        database, a worker token, and nothing of the server's workspace."""
        host.mkdir(parents=True, exist_ok=True)
        return self.start_worker(
            host=host,
            STUDIO_WORKER_MODE="stateless",
            STUDIO_SERVER_URL=self.server.url,
            STUDIO_WORKER_TOKEN=token,
            STUDIO_WORKER_CACHE=str(host / "cache"),
            STUDIO_REDIS_URL=self.redis_url,
            STUDIO_DATABASE_URL=self.env["STUDIO_DATABASE_URL"],
            STUDIO_PIPELINE_DIRS=self.env["STUDIO_PIPELINE_DIRS"],
            STUDIO_RUNNER_BACKEND=self.env["STUDIO_RUNNER_BACKEND"],
            STUDIO_TASK_VISIBILITY_TIMEOUT_S=self.env["STUDIO_TASK_VISIBILITY_TIMEOUT_S"],
        )

    def kill_worker(self, worker: subprocess.Popen[bytes]) -> None:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def project(self, graph: dict[str, Any], **settings: str) -> str:
        created = httpx.post(
            f"{self.server.url}/api/v1/projects",
            json={"name": f"Film {time.monotonic_ns()}", **settings},
            headers=self.headers,
        ).json()
        saved = httpx.put(
            f"{self.server.url}/api/v1/projects/{created['id']}",
            json={"version": 1, "graph": graph},
            headers=self.headers,
        )
        saved.raise_for_status()
        project_id: str = created["id"]
        return project_id

    def feed_an_upload(self, project_id: str, still: bytes, pipeline: str = "cpu-upscale-lanczos") -> str:
        """Upload `still` and name it in the shot's unconnected image input, as a file widget does; its path."""
        uploaded = httpx.post(
            f"{self.server.url}/api/v1/projects/{project_id}/uploads",
            params={"filename": "reference.png"},
            content=still,
            headers=self.headers,
        )
        assert uploaded.status_code == 201, uploaded.text
        source: str = uploaded.json()["path"]
        graph = shot_graph(pipeline, image=source)
        saved = httpx.put(
            f"{self.server.url}/api/v1/projects/{project_id}", json={"version": 2, "graph": graph}, headers=self.headers
        )
        assert saved.status_code == 200, saved.text
        return source

    def socket(self, project_id: str) -> ProjectSocket:
        return ProjectSocket(self.server.url, self.token, project_id).connect()

    def generate(self, project_id: str, node_id: str = "shot") -> dict[str, Any]:
        # Not httpx's 5 s: tests send many at once, on a machine other test processes share.
        response = httpx.post(
            f"{self.server.url}/api/v1/tasks/generate_shot",
            json={"project_id": project_id, "node_id": node_id},
            headers=self.headers,
            timeout=60,
        )
        assert response.status_code == 202, response.text
        task: dict[str, Any] = response.json()
        return task

    def task(self, task_id: str) -> dict[str, Any]:
        body: dict[str, Any] = httpx.get(f"{self.server.url}/api/v1/tasks/{task_id}", headers=self.headers).json()
        return body

    def wait_for(
        self, task_id: str, states: tuple[str, ...] = ("succeeded", "failed"), timeout: float = 90
    ) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            task = self.task(task_id)
            if task["state"] in states:
                return task
            time.sleep(0.2)
        raise AssertionError(f"task {task_id} is still {self.task(task_id)['state']} after {timeout} s")


def shot_graph(pipeline: str | None = None, prompt: str = "a lighthouse at dusk", **shot_data: Any) -> dict[str, Any]:
    nodes = [
        {
            "id": "shot",
            "type": "ShotNode",
            "position": {"x": 400, "y": 0},
            "data": {"shot_id": "SHOT-010", "prompt": prompt, **shot_data},
        }
    ]
    edges = []
    if pipeline:
        nodes.append(
            {"id": "pipe", "type": "PipelineNode", "position": {"x": 0, "y": 0}, "data": {"pipeline_id": pipeline}}
        )
        edges.append(
            {"id": "e1", "source": "pipe", "sourceHandle": "pipeline", "target": "shot", "targetHandle": "pipeline"}
        )
    return {"schema_version": 1, "nodes": nodes, "edges": edges}


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[Chain]:
    with running_chain(tmp_path) as chain:
        yield chain


@contextmanager
def running_chain(tmp_path: Path, **server_env: str) -> Iterator[Chain]:
    """The server (with `server_env` besides the chain's own) over an embedded Redis; workers start on demand."""
    workspace = tmp_path / "ws"
    (workspace / "Library").mkdir(parents=True)
    (workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
    engine = create_db_engine(server_env.get("STUDIO_DATABASE_URL", f"sqlite:///{workspace / '.studio' / 'studio.db'}"))
    upgrade_database(engine)
    with session_scope(engine) as session:
        create_user(session, "alice", PASSWORD)
    engine.dispose()
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        env = {
            "STUDIO_PIPELINE_DIRS": json.dumps([str(TEST_PIPELINES), str(ROOT / "pipeline_images")]),
            "STUDIO_RUNNER_BACKEND": "process",
            "STUDIO_TASK_VISIBILITY_TIMEOUT_S": "5",
            **server_env,
        }
        server = LiveServer(workspace, redis_url=redis_server.url, secret=TEST_SECRET, **env).start()
        chain = Chain(server, redis_server.url, server.env, server.token("alice", PASSWORD))
        try:
            yield chain
        finally:
            for worker in chain.workers:
                if worker.poll() is None:
                    os.killpg(worker.pid, signal.SIGTERM)
                    try:
                        worker.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        os.killpg(worker.pid, signal.SIGKILL)
                        worker.wait()
            server.stop()


@pytest.fixture
def worker_factory(chain: Chain) -> Callable[..., subprocess.Popen[bytes]]:
    return chain.start_worker
