"""One writer per repository: an flock on a file in .git, waited for at most a bounded time.

A request that cannot get the lock in time is answered 503 with Retry-After (RepositoryBusyError) instead
of holding a worker thread, or the event loop, for as long as someone else holds it.
"""

from __future__ import annotations

import asyncio
import fcntl
import math
import time
from pathlib import Path
from types import TracebackType
from typing import IO

from server.errors import RepositoryBusyError

POLL_S = 0.05


class RepoLock:
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
        while not self._try():
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
