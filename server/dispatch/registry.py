"""Live workers announce themselves in Redis with a heartbeat; a worker that stops beating expires."""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import asdict

import redis
from pydantic import BaseModel

from server.dispatch.capabilities import Capabilities

KEY_PREFIX = "studio:workers:"
HEARTBEAT_S = 5.0
# Missing three beats means dead: the key's time-to-live.
TTL_S = 3 * HEARTBEAT_S


class GpuRecord(BaseModel):
    index: int
    name: str
    total_vram_gb: float
    free_vram_gb: float


class WorkerRecord(BaseModel):
    """What a worker announces (and GET /api/v1/system/workers lists): its host, GPUs, queues, last beat."""

    worker_id: str
    host: str
    gpus: list[GpuRecord]
    max_vram_gb: float
    cpus: int
    queues: list[str]
    labels: list[str]
    # The node classes of its ComfyUI, sorted; None when it runs no templates.
    comfyui_node_classes: list[str] | None = None
    seen_at: float  # Unix time of its last heartbeat

    @classmethod
    def of(cls, worker_id: str, capabilities: Capabilities) -> WorkerRecord:
        return cls(
            worker_id=worker_id,
            host=capabilities.host,
            gpus=[GpuRecord(**asdict(gpu)) for gpu in capabilities.gpus],
            max_vram_gb=capabilities.max_vram_gb,
            cpus=capabilities.cpus,
            queues=capabilities.queues,
            labels=capabilities.labels,
            comfyui_node_classes=(
                sorted(capabilities.comfyui_node_classes) if capabilities.comfyui_node_classes is not None else None
            ),
            seen_at=time.time(),
        )


@functools.lru_cache(maxsize=8)
def _shared_client(redis_url: str) -> redis.Redis:
    """One client (one connection pool) per Redis URL and process: every generate, workers list and readiness
    probe asks the registry, and a new client each time opened a connection that was never closed. redis-py's
    pool is thread-safe and starts afresh in a forked child."""
    return redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)


class WorkerRegistry:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, redis_url: str) -> WorkerRegistry:
        return cls(_shared_client(redis_url))

    def announce(self, worker_id: str, capabilities: Capabilities, ttl_s: float = TTL_S) -> None:
        record = WorkerRecord.of(worker_id, capabilities)
        self.client.set(KEY_PREFIX + worker_id, record.model_dump_json(), px=int(ttl_s * 1000))

    def withdraw(self, worker_id: str) -> None:
        self.client.delete(KEY_PREFIX + worker_id)

    def live(self) -> list[WorkerRecord]:
        keys = sorted(self.client.scan_iter(match=KEY_PREFIX + "*", count=500))
        records = self.client.mget(keys) if keys else []
        return [WorkerRecord.model_validate_json(r) for r in records if r is not None]

    def max_vram_gb(self) -> float:
        """The largest GPU any live worker has: what a task can be placed on right now."""
        return max((w.max_vram_gb for w in self.live()), default=0.0)


class Heartbeat:
    """Re-announces a worker every HEARTBEAT_S seconds from a daemon thread until stopped."""

    def __init__(self, registry: WorkerRegistry, worker_id: str, capabilities: Capabilities) -> None:
        self.registry = registry
        self.worker_id = worker_id
        self.capabilities = capabilities
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="studio-heartbeat", daemon=True)

    def start(self) -> None:
        self.registry.announce(self.worker_id, self.capabilities)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                self.registry.announce(self.worker_id, self.capabilities)
            except redis.RedisError:
                continue  # Redis briefly away: the next beat tries again, the key may lapse meanwhile

    def stop(self) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=HEARTBEAT_S)
        self.registry.withdraw(self.worker_id)
