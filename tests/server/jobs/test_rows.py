"""A task row's state changes are compare-and-set: whichever comes first wins, and a cancel is never written over."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from server.db.tables import Task, TaskState
from server.jobs import rows
from tests.support.factories import TestUser, create_project


@pytest.fixture
def task_id(client: TestClient, engine: Engine, alice: TestUser) -> str:
    project: dict[str, Any] = create_project(client, alice)
    with Session(engine) as session:
        task = Task(id="t1", project_id=project["id"], node_id="seq", kind="tasks.assembly.render_final_video",
                    queue="cpu", spec={})  # fmt: skip
        session.add(task)
        session.commit()
    return "t1"


def _state(engine: Engine, task_id: str) -> tuple[TaskState, int, str | None]:
    with Session(engine) as session:
        task = session.get(Task, task_id)
        assert task is not None
        return task.state, task.attempts, task.error


def test_a_late_success_or_failure_never_overwrites_a_cancel(engine: Engine, task_id: str) -> None:
    assert rows.claim(engine, task_id)
    with Session(engine) as session:
        assert rows.cancel(session, task_id)
    assert not rows.finish(engine, task_id, TaskState.SUCCEEDED, take_path="06_Exports/x.mp4")
    assert not rows.finish(engine, task_id, TaskState.FAILED, error="too late")
    rows.record_progress(engine, task_id, 50.0)
    assert _state(engine, task_id) == (TaskState.CANCELLED, 1, None)
    assert not rows.claim(engine, task_id)  # a re-delivery of a cancelled task does not run it


def test_a_claim_counts_attempts_and_a_finished_task_cannot_be_claimed_or_cancelled(
    engine: Engine, task_id: str
) -> None:
    assert rows.claim(engine, task_id)
    assert rows.claim(engine, task_id)  # its worker died: delivered again, it runs again
    assert rows.finish(engine, task_id, TaskState.FAILED, error="the pipeline crashed")
    assert not rows.claim(engine, task_id)
    with Session(engine) as session:
        assert not rows.cancel(session, task_id)
    assert _state(engine, task_id) == (TaskState.FAILED, 2, "the pipeline crashed")


def test_progress_is_kept_only_while_running(engine: Engine, task_id: str) -> None:
    rows.record_progress(engine, task_id, 30.0)  # still queued
    assert rows.claim(engine, task_id)
    rows.record_progress(engine, task_id, 40.0)
    with Session(engine) as session:
        task = session.get(Task, task_id)
        assert task is not None and task.progress == 40.0
