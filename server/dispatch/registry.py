"""Live workers announce themselves in Redis with a heartbeat; a worker that stops beating expires."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import redis

from server.dispatch.capabilities import Capabilities

KEY_PREFIX = "studio:workers:"
HEARTBEAT_S = 5.0
# Missing three beats means dead: the key's time-to-live.
TTL_S = 3 * HEARTBEAT_S


class WorkerRegistry:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def from_url(cls, redis_url: str) -> WorkerRegistry:
        return cls(redis.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5))

    def announce(self, worker_id: str, capabilities: Capabilities, ttl_s: float = TTL_S) -> None:
        record = {**capabilities.to_json(), "worker_id": worker_id, "seen_at": time.time()}
        self.client.set(KEY_PREFIX + worker_id, json.dumps(record), px=int(ttl_s * 1000))

    def withdraw(self, worker_id: str) -> None:
        self.client.delete(KEY_PREFIX + worker_id)

    def live(self) -> list[dict[str, Any]]:
        keys = sorted(self.client.scan_iter(match=KEY_PREFIX + "*", count=500))
        records = self.client.mget(keys) if keys else []
        return [json.loads(r) for r in records if r is not None]

    def max_vram_gb(self) -> float:
        """The largest GPU any live worker has: what the dispatcher can place a task on right now."""
        return max((float(w["max_vram_gb"]) for w in self.live()), default=0.0)


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
