"""Which task a worker's message runs: the first due task of its queue in the studio's order, never one of a
paused project, never one another message took; a redelivered message resumes the task it had claimed."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, col

from server.db.tables import Project, Task, TaskState
from server.jobs import rows
from tests.support.factories import TestUser, create_project

SEAT = rows.Seat(worker="host:1", gpu="RTX 4090 #0")
# The claim's statements (a subquery on projects inside the compare-and-set) must hold on both databases.
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


def add_tasks(engine: Engine, project_id: str, *positions: int, queue: str = "cpu") -> list[str]:
    with Session(engine) as session:
        ids = [f"{project_id[:8]}-{queue}-{p}" for p in positions]
        for task_id, position in zip(ids, positions, strict=True):
            session.add(Task(id=task_id, project_id=project_id, node_id="shot", kind="tasks.shots.generate",
                             queue=queue, spec={}, position=position))  # fmt: skip
        session.commit()
    return ids


def pause(engine: Engine, project_id: str, by: str | None) -> None:
    with Session(engine) as session:
        session.execute(update(Project).where(col(Project.id) == project_id).values(queue_paused_by=by))
        session.commit()


def stored(engine: Engine, task_id: str) -> Task:
    with Session(engine) as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task


def test_messages_run_the_first_due_task_of_their_queue_and_skip_paused_projects(
    client: TestClient, engine: Engine, alice: TestUser
) -> None:
    film: dict[str, Any] = create_project(client, alice, "Film")
    other: dict[str, Any] = create_project(client, alice, "Other")
    held = add_tasks(engine, other["id"], 1)  # first in line, but its project is paused
    late, early = add_tasks(engine, film["id"], 30, 20)
    [gpu_task] = add_tasks(engine, film["id"], 5, queue="gpu.24")
    pause(engine, other["id"], "alice")

    assert rows.claim_next(engine, "m1", "cpu", SEAT) == early
    assert rows.claim_next(engine, "m2", "cpu", SEAT) == late
    assert rows.claim_next(engine, "m3", "cpu", SEAT) is None  # only the paused project's task is left
    assert stored(engine, held[0]).state is TaskState.QUEUED
    pause(engine, other["id"], None)
    assert rows.claim_next(engine, "m4", "cpu", SEAT) == held[0]

    ran = stored(engine, early)
    assert (ran.state, ran.ticket, ran.worker, ran.gpu, ran.attempts) == (TaskState.RUNNING, "m1", "host:1", None, 1)
    assert rows.claim_next(engine, "m5", "gpu.24", SEAT) == gpu_task
    assert stored(engine, gpu_task).gpu == "RTX 4090 #0"  # recorded for GPU queues only


def test_a_redelivered_message_resumes_the_task_it_claimed(client: TestClient, engine: Engine, alice: TestUser) -> None:
    film: dict[str, Any] = create_project(client, alice)
    first, second = add_tasks(engine, film["id"], 1, 2)
    assert rows.claim_next(engine, "m1", "cpu", SEAT) == first
    # Its worker died; Redis hands the same message to another worker: the same task runs again, not the next.
    assert rows.claim_next(engine, "m1", "cpu", rows.Seat(worker="host:2")) == first
    assert stored(engine, first).attempts == 2
    assert stored(engine, second).state is TaskState.QUEUED
    with Session(engine) as session:
        assert rows.cancel(session, first)
    assert rows.claim_next(engine, "m1", "cpu", SEAT) == second  # a cancelled claim is not resumed


def test_concurrent_messages_never_take_the_same_task(client: TestClient, engine: Engine, alice: TestUser) -> None:
    film: dict[str, Any] = create_project(client, alice)
    tasks = add_tasks(engine, film["id"], *range(24))
    claimed: list[str | None] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def claim_all(worker: int) -> None:
        start.wait()
        for n in range(4):
            found = rows.claim_next(engine, f"w{worker}-{n}", "cpu", rows.Seat(worker=f"w{worker}"))
            with lock:
                claimed.append(found)

    threads = [threading.Thread(target=claim_all, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 32 messages for 24 tasks: each task exactly once, the 8 spare messages found nothing.
    expected: dict[str | None, int] = {**dict.fromkeys(tasks, 1), None: 8}
    assert Counter(claimed) == expected
