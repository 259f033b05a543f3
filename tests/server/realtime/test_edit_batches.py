"""Edits of a project applied in batches: what arrives while one batch is applied is the next, in arrival order."""

from __future__ import annotations

import asyncio
import threading

import pytest

from server.errors import InvalidInputError
from server.realtime.edit_batches import MAX_BATCH, EditBatches
from tests.support.event_loops import run_on_own_loop


class Recorder:
    """Applies edits (strings) by upper-casing them; "bad" ones are refused. Edit "a" waits for `release`."""

    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.broadcasts: list[tuple[str, list[tuple[str, str]]]] = []
        self.release = threading.Event()
        self.fail_broadcast = False

    def apply(self, edits: list[str]) -> list[str | Exception]:
        if "a" in edits:
            assert self.release.wait(10)
        self.batches.append(edits)
        return [InvalidInputError(f"{e} refused") if e.startswith("bad") else e.upper() for e in edits]

    async def broadcast(self, project_id: str, applied: list[tuple[str, str]]) -> None:
        if self.fail_broadcast:
            self.fail_broadcast = False
            raise RuntimeError("room gone")
        self.broadcasts.append((project_id, applied))


async def _until(condition: object, timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.001)


async def _edits_arriving_during_a_batch_are_the_next_batch_in_order_each_answered_on_its_own() -> None:
    recorder = Recorder()
    batches = EditBatches(recorder.apply, recorder.broadcast)
    first = asyncio.create_task(batches.submit("p", "a"))
    await asyncio.sleep(0.05)  # "a" is being applied alone; these wait for it
    rest = [asyncio.create_task(batches.submit("p", e)) for e in ("b", "bad-c", "d")]
    other_project = asyncio.create_task(batches.submit("q", "x"))
    await _until(lambda: other_project.done())
    recorder.release.set()
    assert await first == "A"
    results = await asyncio.gather(*rest, return_exceptions=True)
    assert results[0] == "B" and results[2] == "D"
    assert isinstance(results[1], InvalidInputError) and results[1].message == "bad-c refused"
    assert await other_project == "X"
    # Another project's edit did not wait for this one's batch.
    assert sorted(recorder.batches) == [["a"], ["b", "bad-c", "d"], ["x"]]
    assert recorder.batches.index(["x"]) == 0
    # Broadcast once per batch, the applied edits only, in order.
    assert ("p", [("a", "A")]) in recorder.broadcasts
    assert ("p", [("b", "B"), ("d", "D")]) in recorder.broadcasts
    assert len(recorder.broadcasts) == 3


async def _a_failed_batch_answers_its_senders_and_later_edits_are_still_applied() -> None:
    recorder = Recorder()
    recorder.release.set()
    recorder.fail_broadcast = True
    batches = EditBatches(recorder.apply, recorder.broadcast)
    with pytest.raises(RuntimeError, match="room gone"):
        await batches.submit("p", "a")
    assert await batches.submit("p", "b") == "B"
    assert recorder.broadcasts == [("p", [("b", "B")])]


async def _an_edit_whose_sender_stopped_waiting_still_stands_and_the_next_is_applied() -> None:
    recorder = Recorder()
    batches = EditBatches(recorder.apply, recorder.broadcast)
    gone = asyncio.create_task(batches.submit("p", "a"))
    await asyncio.sleep(0.05)
    gone.cancel()
    recorder.release.set()
    assert await batches.submit("p", "b") == "B"
    assert recorder.batches[0] == ["a"]
    assert ("p", [("a", "A")]) in recorder.broadcasts


def test_edits_arriving_during_a_batch_are_the_next_batch_in_order_each_answered_on_its_own() -> None:
    run_on_own_loop(_edits_arriving_during_a_batch_are_the_next_batch_in_order_each_answered_on_its_own)


def test_a_failed_batch_answers_its_senders_and_later_edits_are_still_applied() -> None:
    run_on_own_loop(_a_failed_batch_answers_its_senders_and_later_edits_are_still_applied)


def test_an_edit_whose_sender_stopped_waiting_still_stands_and_the_next_is_applied() -> None:
    run_on_own_loop(_an_edit_whose_sender_stopped_waiting_still_stands_and_the_next_is_applied)


async def _a_flood_is_applied_in_batches_of_at_most_max_batch() -> None:
    recorder = Recorder()
    batches = EditBatches(recorder.apply, recorder.broadcast)
    first = asyncio.create_task(batches.submit("p", "a"))
    await asyncio.sleep(0.05)
    flood = [asyncio.create_task(batches.submit("p", f"e{i}")) for i in range(MAX_BATCH + 10)]
    await asyncio.sleep(0)
    recorder.release.set()
    assert await first == "A"
    assert await asyncio.gather(*flood) == [f"E{i}" for i in range(MAX_BATCH + 10)]
    assert [len(batch) for batch in recorder.batches] == [1, MAX_BATCH, 10]


def test_a_flood_is_applied_in_batches_of_at_most_max_batch() -> None:
    run_on_own_loop(_a_flood_is_applied_in_batches_of_at_most_max_batch)
