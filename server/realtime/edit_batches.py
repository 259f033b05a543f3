"""A project's live edits, applied in arrival order and in batches: what arrives while a batch is applied is the
next batch.

An edit applied alone costs a thread hop, and its patch one message to every other socket of the project; for a
room of 20 that message is most of the edit's cost (the write per socket, engine.io's queue and writer task). While
a batch is applied, the edits that arrive meanwhile wait; the next batch takes them all: one thread hop, and one
message per run of consecutive edits by one sender. An idle project's edit is a batch of one, applied at once: the
batching adds no delay, and under load it delays a patch by at most one batch.

Each edit is still checked and committed on its own (one failing does not touch the others) and answered after
its commit; the patches of a batch are broadcast before its edits are answered, as a lone edit's patch always was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Edit = TypeVar("Edit")
Result = TypeVar("Result")
# At most this many edits a batch: a flood of edits is applied and broadcast in steps, so no patch waits long for
# the ones before it and no message grows without bound.
MAX_BATCH = 64


class EditBatches(Generic[Edit, Result]):
    """Applies each project's edits one batch at a time, in arrival order, on one drain task per busy project.

    `apply` runs in a thread with a batch of one project's edits and returns, per edit, its result or the exception
    that refused it; `broadcast` gets the project and the edits that were applied with their results, in order."""

    def __init__(
        self,
        apply: Callable[[list[Edit]], list[Result | Exception]],
        broadcast: Callable[[str, list[tuple[Edit, Result]]], Awaitable[None]],
    ) -> None:
        self._apply = apply
        self._broadcast = broadcast
        self._waiting: dict[str, list[tuple[Edit, asyncio.Future[Result]]]] = {}
        self._draining: dict[str, asyncio.Task[None]] = {}

    async def submit(self, project_id: str, edit: Edit) -> Result:
        """The edit's result once it is committed and broadcast; raises what refused it."""
        answer: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(project_id, []).append((edit, answer))
        if project_id not in self._draining:
            self._draining[project_id] = asyncio.create_task(self._drain(project_id))
        return await answer

    async def _drain(self, project_id: str) -> None:
        batch: list[tuple[Edit, asyncio.Future[Result]]] = []
        try:
            # No await between finding no edits waiting and leaving: an edit submitted after that starts a new drain.
            while batch := self._take(project_id):
                try:
                    await self._run(project_id, batch)
                except Exception as exc:  # the batch's own failure (not an edit's refusal): its senders hear of it
                    for _, answer in batch:
                        if not answer.done():
                            answer.set_exception(exc)
        finally:
            del self._draining[project_id]
            # Cancelled (the server stops): nobody is left waiting for an answer that will not come.
            for _, answer in batch + self._waiting.pop(project_id, []):
                answer.cancel()

    def _take(self, project_id: str) -> list[tuple[Edit, asyncio.Future[Result]]]:
        """The next batch: the first MAX_BATCH edits waiting."""
        waiting = self._waiting.pop(project_id, [])
        if len(waiting) > MAX_BATCH:
            self._waiting[project_id] = waiting[MAX_BATCH:]
        return waiting[:MAX_BATCH]

    async def _run(self, project_id: str, batch: list[tuple[Edit, asyncio.Future[Result]]]) -> None:
        outcomes = await asyncio.to_thread(self._apply, [edit for edit, _ in batch])
        applied = [
            (edit, outcome)
            for (edit, _), outcome in zip(batch, outcomes, strict=True)
            if not isinstance(outcome, Exception)
        ]
        if applied:
            await self._broadcast(project_id, applied)
        for (_, answer), outcome in zip(batch, outcomes, strict=True):
            if answer.done():  # its sender stopped waiting (a socket that went away); the edit stands
                continue
            if isinstance(outcome, Exception):
                answer.set_exception(outcome)
            else:
                answer.set_result(outcome)
