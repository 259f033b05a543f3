"""One writer per repository, waited for at most a bounded time: a Redis lock with a fencing token where the studio
has Redis (it holds across hosts and processes), else an flock on a file in .git (one host, no Redis).

A request that cannot get the lock in time is answered 503 with Retry-After (RepositoryBusyError) instead
of holding a worker thread, or the event loop, for as long as someone else holds it.

The Redis lock (ARCHITECTURE §7): `studio:repo:<name>:lock` is set only if absent, with a lease, and holds the
holder's fencing token, drawn in the same script from `studio:repo:<name>:fence` (INCR: it only ever grows).
A holder renews its lease while it works; a holder that died leaves the lock to expire with its lease. A holder
that stalled past its lease (and lost the lock to a later one) cannot tell by itself, so what it writes is fenced:
the pre-receive hook accepts a push only while the lock still holds the fencing token its request took
(`fence_is_current`), and refuses it as stale otherwise.
"""

from __future__ import annotations

import asyncio
import fcntl
import math
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import redis

from server.errors import RepositoryBusyError

POLL_S = 0.05
LEASE_S = 30.0  # renewed every LEASE_S / 3 while held: a dead holder blocks the project this long at most

# Take the lock if it is free, with the next fencing token as its value; nil when it is held.
_ACQUIRE = """
if redis.call('exists', KEYS[1]) == 1 then return false end
local fence = redis.call('incr', KEYS[2])
redis.call('set', KEYS[1], fence, 'PX', ARGV[1])
return fence
"""
# Extend or drop the lock only while it still holds our token (a later holder's lock is never touched).
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def lock_key(name: str) -> str:
    return f"studio:repo:{name}:lock"


def fence_key(name: str) -> str:
    return f"studio:repo:{name}:fence"


def fence_is_current(client: redis.Redis, name: str, fence: int) -> bool:
    """Whether the lock of repository `name` is still held with fencing token `fence`."""
    held: Any = client.get(lock_key(name))
    return held is not None and int(held) == fence


class RepoLock:
    """The flock: for a studio without Redis (one process tree on one host)."""

    fence: int | None = None  # an flock has no fencing token

    def __init__(self, path: Path, timeout_s: float, name: str) -> None:
        self.path = path
        self.timeout_s = timeout_s
        self.name = name
        self._handle: IO[str] | None = None

    def _try(self) -> bool:
        handle = self.path.open("a")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    def _busy(self) -> RepositoryBusyError:
        return RepositoryBusyError(
            f"The project '{self.name}' is busy with another change (a push or a commit) and stayed so for "
            f"{self.timeout_s:g} s; try again in a moment.",
            retry_after_s=max(1, math.ceil(self.timeout_s / 4)),
        )

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        while not self._try():
            if time.monotonic() >= deadline:
                raise self._busy()
            time.sleep(POLL_S)

    async def acquire_async(self) -> None:
        """Waits on the event loop, holding no thread."""
        deadline = time.monotonic() + self.timeout_s
        while not await asyncio.to_thread(self._try):
            if time.monotonic() >= deadline:
                raise self._busy()
            await asyncio.sleep(POLL_S)

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RepoLock:
        self.acquire()
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.release()


class RedisRepoLock(RepoLock):
    """The lock across hosts; `fence` is the holder's fencing token while it holds it. On the host that has the
    repository (`path` is in its .git) the flock is taken too, so a process that knows no Redis (a `studio` command
    beside a server on its embedded Redis) still waits for the others, and they for it."""

    def __init__(
        self, client: redis.Redis, path: Path | None, timeout_s: float, name: str, lease_s: float = LEASE_S
    ) -> None:
        super().__init__(path or Path(), timeout_s, name)
        self.local = path is not None and path.parent.is_dir()
        self.client = client
        self.lease_ms = int(lease_s * 1000)
        self._renewing = threading.Event()
        self._renewer: threading.Thread | None = None

    def _try(self) -> bool:
        fence: Any = self.client.eval(_ACQUIRE, 2, lock_key(self.name), fence_key(self.name), self.lease_ms)
        if fence is None:
            return False
        if self.local and not super()._try():
            self.client.eval(_RELEASE, 1, lock_key(self.name), int(fence))
            return False
        self.fence = int(fence)
        self._renewing.clear()
        self._renewer = threading.Thread(
            target=self._renew, args=(self.fence,), name=f"repo-lock-{self.name}", daemon=True
        )
        self._renewer.start()
        return True

    def _renew(self, fence: int) -> None:
        while not self._renewing.wait(self.lease_ms / 3000):
            try:
                if not self.client.eval(_RENEW, 1, lock_key(self.name), fence, self.lease_ms):
                    return  # lost (stalled past the lease): what it still writes is refused as stale
            except redis.RedisError:
                continue  # the next renewal may reach Redis; the lease covers the gap

    def release(self) -> None:
        if self.fence is None:
            return
        self._renewing.set()
        if self._renewer is not None and self._renewer is not threading.current_thread():
            self._renewer.join()
        try:
            self.client.eval(_RELEASE, 1, lock_key(self.name), self.fence)
        finally:
            self.fence = None
            super().release()
