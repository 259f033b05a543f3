"""Submitting a task: a queue that cannot be reached leaves a failed task that says why, never one that waits
forever."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.assembly.sequence import Sequence
from server.assembly.target import RenderSpec
from server.db.tables import Task, TaskState, User
from server.jobs.service import QueueUnavailableError, TaskService
from server.projects.service import ProjectService
from server.tasks.celery_app import CeleryJobQueue, create_celery_app
from tests.support.factories import TestUser, create_project


def test_a_queue_that_cannot_be_reached_fails_the_task_with_a_sentence(
    app: FastAPI, client: TestClient, alice: TestUser, tmp_path: Path
) -> None:
    project = create_project(client, alice)
    celery = create_celery_app(f"unix://{tmp_path / 'no-redis.sock'}", 3600)  # nothing listens there
    spec = RenderSpec(sequence=Sequence("seq", 24, (), (), (), ()), output_path="06_Exports/seq.mp4")
    try:
        with Session(app.state.engine, expire_on_commit=False) as session:
            user = session.exec(select(User).where(User.username == alice.username)).one()
            projects = ProjectService(
                session, app.state.settings, app.state.git_lfs, app.state.events, app.state.access_watch
            )
            tasks = TaskService(session, projects, CeleryJobQueue(celery), app.state.events)
            with pytest.raises(QueueUnavailableError) as refused:
                tasks.submit(user, project["id"], "seq", "cpu", spec)
            [task] = session.exec(select(Task)).all()
    finally:
        celery.close()
    message = refused.value.message
    assert message.startswith("The task could not be queued (") and message.endswith("check that Redis is running.")
    assert (task.state, task.error, task.kind) == (TaskState.FAILED, message, "tasks.assembly.render_final_video")
    assert task.finished_at is not None
