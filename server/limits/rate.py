"""Fixed-window counters behind every rate limit: in Redis where configured (shared by every server
process), in this process otherwise."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import redis

from server.errors import RateLimitedError

log = logging.getLogger(__name__)
Counting = Callable[[], tuple[int, int]]

__all__ = ["Counters", "MemoryCounters", "RateLimitedError", "RedisCounters", "Window", "counters_for", "hit_each"]


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: int


class Counters(Protocol):
    def count(self, key: str, window: Window) -> tuple[int, int]:
        """(hits in the current window, seconds until it ends) without counting one."""
        ...

    def hit(self, key: str, window: Window, hits: int = 1) -> tuple[int, int]:
        """Count `hits` hits; (hits in the current window including them, seconds until the window ends)."""
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

    def hit(self, key: str, window: Window, hits: int = 1) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            if len(self._windows) >= self.SWEEP_AT:
                self._windows = {k: v for k, v in self._windows.items() if v[1] > now}
            before, ends = self._current(key, window, now)
            self._windows[key] = (before + hits, ends)
        return before + hits, math.ceil(ends - now)


class RedisCounters:
    """Shared by every server process. While Redis cannot be reached, counting goes on in this process:
    a limit keeps holding (per process), and signing in does not depend on Redis."""

    PREFIX = "studio:rate:"

    def __init__(self, redis_url: str) -> None:
        self._redis = redis.Redis.from_url(redis_url)
        self._fallback = MemoryCounters()

    def count(self, key: str, window: Window) -> tuple[int, int]:
        return self._shared_or_local(lambda: self._shared_count(key, window), lambda: self._fallback.count(key, window))

    def hit(self, key: str, window: Window, hits: int = 1) -> tuple[int, int]:
        return self._shared_or_local(
            lambda: self._shared_hit(key, window, hits), lambda: self._fallback.hit(key, window, hits)
        )

    @staticmethod
    def _shared_or_local(shared: Counting, local: Counting) -> tuple[int, int]:
        try:
            return shared()
        except redis.RedisError as exc:
            log.warning("rate limits counted in this process only: Redis is unreachable (%s)", exc)
            return local()

    def _shared_count(self, key: str, window: Window) -> tuple[int, int]:
        pipe = self._redis.pipeline()
        pipe.get(self.PREFIX + key)
        pipe.ttl(self.PREFIX + key)
        hits, ttl = pipe.execute()
        return int(hits or 0), max(int(ttl), 1) if hits else window.seconds

    def _shared_hit(self, key: str, window: Window, hits: int) -> tuple[int, int]:
        name = self.PREFIX + key
        # SET NX opens the window with its expiry; INCRBY then counts in it, atomically across processes.
        pipe = self._redis.pipeline()
        pipe.set(name, 0, ex=window.seconds, nx=True)
        pipe.incrby(name, hits)
        pipe.ttl(name)
        _, total, ttl = pipe.execute()
        return int(total), max(int(ttl), 1)


def hit_each(counters: Counters, keys: list[str], window: Window) -> list[tuple[int, int]]:
    """One hit for each item of `keys` (a key may repeat), counted with one `hit` per distinct key (for Redis
    counters one round trip, not one per item): per item, the number its hit has in the window and the seconds
    until the window ends, as hitting them one by one in order would give."""
    per_key = Counter(keys)
    totals = {key: counters.hit(key, window, hits) for key, hits in per_key.items()}
    seen: Counter[str] = Counter()
    numbered = []
    for key in keys:
        seen[key] += 1
        total, ends = totals[key]
        numbered.append((total - per_key[key] + seen[key], ends))
    return numbered


def counters_for(redis_url: str | None) -> Counters:
    return RedisCounters(redis_url) if redis_url else MemoryCounters()
