"""What every backend shares: the cancel token, the outcome of one execution, the backend interface."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from function_runner.manifest import Pipeline

LineSink = Callable[[str], None]


class CancelToken:
    """Handed to a run; `cancel()` from any thread kills the process or container."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    def on_cancel(self, callback: Callable[[], None]) -> None:
        with self._lock:
            if not self._event.is_set():
                self._callbacks.append(callback)
                return
        callback()


@dataclass(frozen=True)
class Outcome:
    """How an execution ended; the runner turns it into a result or a typed error."""

    exit_code: int
    stderr_tail: str
    timed_out: bool = False
    cancelled: bool = False
    # A warm instance died under the job (not the job's own failure): replace it and retry once.
    instance_lost: bool = False


@dataclass(frozen=True)
class Execution:
    """One launch: the pipeline, its prepared job dir, where stdout lines go, limits and GPU."""

    pipeline: Pipeline
    job_dir: Path
    on_line: LineSink
    token: CancelToken
    timeout_s: float
    gpu: str | None = None


class Backend(ABC):
    """Runs the pipeline's entrypoint against a prepared job dir and reports how it ended."""

    name: str

    @abstractmethod
    def execute(self, execution: Execution) -> Outcome: ...

    @abstractmethod
    def close(self) -> None:
        """Stop whatever the backend keeps running (warm instances)."""

    @abstractmethod
    def reap_idle(self) -> int:
        """Stop warm instances idle longer than configured; returns how many were stopped."""


def tail(lines: deque[str]) -> str:
    return "\n".join(lines).strip()


class LineSplitter:
    """Turns a byte stream into complete text lines, tolerant of invalid UTF-8 ("garbage")."""

    def __init__(self, sink: LineSink) -> None:
        self._sink = sink
        self._buffer = b""

    def feed(self, chunk: bytes) -> None:
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._sink(line.decode("utf-8", errors="replace"))

    def flush(self) -> None:
        if self._buffer:
            self._sink(self._buffer.decode("utf-8", errors="replace"))
            self._buffer = b""
