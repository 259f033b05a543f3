"""The child processes of a long job (ffmpeg, MoviePy's readers): started through one scope, killed together when
the job is cancelled or times out, and never left running after it."""

from __future__ import annotations

import contextlib
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from typing import Any

from function_runner.execution import CancelToken
from server.errors import StudioError


class ProcessesStoppedError(StudioError):
    """A process was killed, or refused to start, because its job was stopped."""

    code = "stopped"


class ProcessScope:
    """Processes started here die with the scope's cancel token; after a cancel none starts."""

    def __init__(self, token: CancelToken | None = None) -> None:
        self.token = token or CancelToken()
        self._lock = threading.Lock()
        self._running: set[subprocess.Popen[bytes]] = set()
        self.token.on_cancel(self.kill_all)

    def check(self) -> None:
        """Raise if the job was stopped: called between units of work that start no process (a frame, a chunk)."""
        if self.token.cancelled:
            raise ProcessesStoppedError("The job was stopped.")

    def start(self, args: Sequence[str], **popen: Any) -> subprocess.Popen[bytes]:
        """Start a process the scope will kill; the caller waits for it (or lets a library do so)."""
        with self._lock:
            self.check()
            self._running = {p for p in self._running if p.poll() is None}
            # In our own session, not a new one: ffmpeg starts no children, and under the kernel's autogroup
            # scheduling a session of its own would take CPU from the frame loop feeding it (renders ran ~40% slower).
            process: subprocess.Popen[bytes] = subprocess.Popen(list(args), **popen)
            self._running.add(process)
        return process

    @contextlib.contextmanager
    def started(self, args: Sequence[str], **popen: Any) -> Iterator[subprocess.Popen[bytes]]:
        """`start`, and on leaving the block a process still running is killed, reaped, and its pipes closed."""
        process = self.start(args, **popen)
        try:
            yield process
        finally:
            _kill(process)
            process.wait()
            for pipe in (process.stdin, process.stdout, process.stderr):
                if pipe is not None:
                    with contextlib.suppress(OSError):  # flushing what a killed process never read
                        pipe.close()

    def run(self, args: Sequence[str], timeout_s: float | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run to the end and capture its output; ProcessesStoppedError if a cancel killed it meanwhile."""
        with self.started(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
            stdout, stderr = process.communicate(timeout=timeout_s)
        self.check()
        return subprocess.CompletedProcess(list(args), process.returncode, stdout, stderr)

    def kill_all(self) -> None:
        """Kill every process still running (the cancel token calls this; so does the job's end)."""
        with self._lock:
            running, self._running = self._running, set()
        for process in running:
            _kill(process)


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()


# The scope of the job running in this thread, for processes a library starts itself (MoviePy's readers).
current_scope: ContextVar[ProcessScope | None] = ContextVar("current_scope", default=None)


@contextlib.contextmanager
def in_scope(scope: ProcessScope) -> Iterator[ProcessScope]:
    reset = current_scope.set(scope)
    try:
        yield scope
    finally:
        current_scope.reset(reset)
