"""Debounced checkpoints: when a project's editing pauses, commit its live graph to the canvas file."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


class AutosaveScheduler:
    """One pending timer per project; every edit pushes it back by `delay_s`."""

    def __init__(self, delay_s: float, checkpoint: Callable[[str], Coroutine[Any, Any, None]]) -> None:
        self.delay_s = delay_s
        self._checkpoint = checkpoint
        self._pending: dict[str, asyncio.TimerHandle] = {}
        self._running: set[asyncio.Task[None]] = set()

    def touch(self, project_id: str) -> None:
        if handle := self._pending.pop(project_id, None):
            handle.cancel()
        loop = asyncio.get_running_loop()
        self._pending[project_id] = loop.call_later(self.delay_s, self._fire, project_id)

    def _fire(self, project_id: str) -> None:
        self._pending.pop(project_id, None)
        task = asyncio.get_running_loop().create_task(self._checkpoint(project_id))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def flush(self) -> None:
        """Checkpoint every project with a pending timer now (explicit save of all, or shutdown)."""
        pending = list(self._pending)
        for project_id in pending:
            self._pending.pop(project_id).cancel()
        await asyncio.gather(*(self._checkpoint(p) for p in pending), *self._running)
