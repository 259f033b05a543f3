"""Worker announcements in a real Redis: listing, expiry, withdrawal, and the workers endpoint."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.dispatch.capabilities import Capabilities, Gpu
from server.dispatch.registry import Heartbeat, WorkerRegistry
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import TEST_SECRET, make_settings
from tests.support.factories import make_user


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with EmbeddedRedis(tmp_path / "redis") as server:
        yield server.url


def test_announced_workers_are_listed_until_they_expire(redis_url: str) -> None:
    registry = WorkerRegistry.from_url(redis_url)
    registry.announce("big:1", Capabilities("big", [Gpu(0, "RTX 4090", 24, 20)], 16), ttl_s=0.5)
    registry.announce("small:1", Capabilities("small", [], 2), ttl_s=30)
    assert [(w.worker_id, w.queues) for w in registry.live()] == [
        ("big:1", ["gpu.24", "gpu.16", "gpu.12", "cpu", "host@big"]),
        ("small:1", ["cpu", "host@small"]),
    ]
    assert registry.max_vram_gb() == 24
    time.sleep(0.8)
    assert [w.worker_id for w in registry.live()] == ["small:1"]
    assert registry.max_vram_gb() == 0


def test_one_connection_pool_per_redis_url(redis_url: str) -> None:
    first, second = WorkerRegistry.from_url(redis_url), WorkerRegistry.from_url(redis_url)
    first.announce("w:1", Capabilities("w", [], 2), ttl_s=30)
    assert [w.worker_id for w in second.live()] == ["w:1"]
    assert first.client.connection_pool is second.client.connection_pool
    assert len(first.client.connection_pool._available_connections) == 1  # both calls reused one connection


def test_heartbeat_announces_and_withdraws(redis_url: str) -> None:
    registry = WorkerRegistry.from_url(redis_url)
    beat = Heartbeat(registry, "w:1", Capabilities("w", [], 2))
    beat.start()
    assert [w.worker_id for w in registry.live()] == ["w:1"]
    beat.stop()
    assert registry.live() == []


def test_workers_endpoint_lists_a_real_worker_process(redis_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "STUDIO_REDIS_URL": redis_url,
        "STUDIO_WORKSPACE": str(tmp_path / "ws"),
        "STUDIO_SECRET_KEY": TEST_SECRET,
        "STUDIO_WORKER_GPUS": '[{"name": "Test 16G", "vram_gb": 16}]',
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "server", "worker"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}", redis_url=redis_url)
        with TestClient(create_app(settings)) as client:
            user = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
            deadline = time.monotonic() + 90  # a worker process starts in seconds, more on a loaded machine
            listed: list[dict[str, object]] = []
            while not listed and time.monotonic() < deadline:
                listed = client.get("/api/v1/system/workers", headers=user.headers).json()
                time.sleep(0.2)
            assert len(listed) == 1
            assert listed[0]["queues"] == ["gpu.16", "gpu.12", "cpu", f"host@{listed[0]['host']}"]
            assert listed[0]["gpus"] == [{"index": 0, "name": "Test 16G", "total_vram_gb": 16.0, "free_vram_gb": 16.0}]
            worker.terminate()
            worker.wait(timeout=30)
            assert client.get("/api/v1/system/workers", headers=user.headers).json() == []
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
