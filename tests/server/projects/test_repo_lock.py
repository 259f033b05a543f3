"""The repository lock: exclusive across processes, and waited for only so long."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from server.errors import RepositoryBusyError
from server.projects.repo_lock import RepoLock

HOLDER = """
import fcntl, sys
handle = open(sys.argv[1], "a")
fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


def test_a_lock_held_elsewhere_is_refused_after_the_timeout_then_taken_once_free(tmp_path: Path) -> None:
    path = tmp_path / "studio.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        lock = RepoLock(path, 0.2, "Night-Train")
        with pytest.raises(RepositoryBusyError, match="'Night-Train' is busy") as busy:
            lock.acquire()
        assert busy.value.details["retry_after_s"] >= 1
        # On a thread of its own: a test before this one (Playwright's sync API) may leave a loop running here.
        with ThreadPoolExecutor(1) as thread, pytest.raises(RepositoryBusyError):
            thread.submit(asyncio.run, lock.acquire_async()).result()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        assert holder.stdout is not None
        holder.stdout.close()
    # Exclusive within one process too.
    with RepoLock(path, 0.2, "Night-Train"), pytest.raises(RepositoryBusyError):
        RepoLock(path, 0.1, "Night-Train").acquire()
    again = RepoLock(path, 0.2, "Night-Train")
    again.acquire()  # released on exit
    again.release()
