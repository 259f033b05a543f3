"""Progress of image and environment builds on the terminal: a live line of the current step, one line per result."""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.status import Status

from function_runner.images import BuiltImage


class BuildProgress:
    """`log` shows the build's latest output line under a spinner; `done` prints each result once."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self._status: Status | None = None
        self._started = time.monotonic()
        self._reported: set[str] = set()

    def __enter__(self) -> BuildProgress:
        self._status = self.console.status("checking recipes")
        self._status.start()
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _traceback: TracebackType | None
    ) -> None:
        if self._status is not None:
            self._status.stop()

    def log(self, line: str) -> None:
        if self._status is not None:
            self._status.update(f"[dim]{line.strip()[:110]}[/]")

    def line(self, label: str, *, rebuilt: bool) -> None:
        if label in self._reported:
            return
        self._reported.add(label)
        elapsed = time.monotonic() - self._started
        self.console.print(
            f"{label}  {'built' if rebuilt else 'up to date'}" + (f" ({elapsed:.0f} s)" if rebuilt else "")
        )
        self._started = time.monotonic()

    def done(self, image: BuiltImage) -> None:
        self.line(image.tag, rebuilt=image.rebuilt)
