"""Fixed-window counters behind every rate limit: in Redis where configured (shared by every server
process), in this process otherwise."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis

from server.errors import RateLimitedError

log = logging.getLogger(__name__)
Counting = Callable[[str, "Window"], tuple[int, int]]

__all__ = ["Counters", "MemoryCounters", "RateLimitedError", "RedisCounters", "Window", "counters_for"]


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: int


class Counters(Protocol):
    def count(self, key: str, window: Window) -> tuple[int, int]:
        """(hits in the current window, seconds until it ends) without counting one."""
        ...

    def hit(self, key: str, window: Window) -> tuple[int, int]:
        """Count one hit; (hits in the current window including it, seconds until the window ends)."""
        ...


class MemoryCounters:
    """For a studio without Redis, where there is only one server process."""

    # Expired windows are swept once this many keys are held, so an address scan cannot grow memory forever.
    SWEEP_AT = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, float]] = {}  # key -> (hits, monotonic end of window)

    def _current(self, key: str, window: Window, now: float) -> tuple[int, float]:
        hits, ends = self._windows.get(key, (0, 0.0))
        return (hits, ends) if ends > now else (0, now + window.seconds)

    def count(self, key: str, window: Window) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            hits, ends = self._current(key, window, now)
        return hits, math.ceil(ends - now)

    def hit(self, key: str, window: Window) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            if len(self._windows) >= self.SWEEP_AT:
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
            hits, ends = self._current(key, window, now)
            self._windows[key] = (hits + 1, ends)
        return hits + 1, math.ceil(ends - now)


class RedisCounters:
    """Shared by every server process. While Redis cannot be reached, counting goes on in this process:
    a limit keeps holding (per process), and signing in does not depend on Redis."""

    PREFIX = "studio:rate:"

    def __init__(self, redis_url: str) -> None:
        self._redis = redis.Redis.from_url(redis_url)
        self._fallback = MemoryCounters()

    def count(self, key: str, window: Window) -> tuple[int, int]:
        return self._shared_or_local(self._shared_count, self._fallback.count, key, window)

    def hit(self, key: str, window: Window) -> tuple[int, int]:
        return self._shared_or_local(self._shared_hit, self._fallback.hit, key, window)

    @staticmethod
    def _shared_or_local(shared: Counting, local: Counting, key: str, window: Window) -> tuple[int, int]:
        try:
            return shared(key, window)
        except redis.RedisError as exc:
            log.warning("rate limits counted in this process only: Redis is unreachable (%s)", exc)
            return local(key, window)

    def _shared_count(self, key: str, window: Window) -> tuple[int, int]:
        pipe = self._redis.pipeline()
        pipe.get(self.PREFIX + key)
        pipe.ttl(self.PREFIX + key)
        hits, ttl = pipe.execute()
        return int(hits or 0), max(int(ttl), 1) if hits else window.seconds

    def _shared_hit(self, key: str, window: Window) -> tuple[int, int]:
        name = self.PREFIX + key
        # SET NX opens the window with its expiry; INCR then counts in it, atomically across processes.
        pipe = self._redis.pipeline()
        pipe.set(name, 0, ex=window.seconds, nx=True)
        pipe.incr(name)
        pipe.ttl(name)
        _, hits, ttl = pipe.execute()
        return int(hits), max(int(ttl), 1)


def counters_for(redis_url: str | None) -> Counters:
    return RedisCounters(redis_url) if redis_url else MemoryCounters()
