"""The tasks panel: a project's tasks and the studio's (admins), moving a queued task to the front, and pausing
and resuming a project's queue (server.jobs.control)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel

from server.api.deps import CurrentUser, TaskServiceDep
from server.api.pagination import PageDep, paged
from server.api.tasks import TaskPublic, task_public
from server.db.tables import TaskState
from server.jobs.control import QueueControl, QueueState

router = APIRouter(tags=["tasks"])


def get_queue_control(tasks: TaskServiceDep) -> QueueControl:
    return QueueControl(tasks)


QueueControlDep = Annotated[QueueControl, Depends(get_queue_control)]
StatesQuery = Annotated[list[TaskState], Query(description="Only tasks in these states (all when none is given).")]


class QueuePublic(BaseModel):
    project_id: str
    paused: bool
    paused_by: str | None
    queued: int
    running: int


def queue_public(state: QueueState) -> QueuePublic:
    return QueuePublic(
        project_id=state.project_id,
        paused=state.paused_by is not None,
        paused_by=state.paused_by,
        queued=state.queued,
        running=state.running,
    )


@router.get("/api/v1/tasks", response_model=list[TaskPublic])
def list_all_tasks(
    user: CurrentUser, control: QueueControlDep, page: PageDep, request: Request, response: Response,
    state: StatesQuery = [],  # noqa: B006 (FastAPI copies query defaults)
) -> list[TaskPublic]:  # fmt: skip
    """Every project's tasks (administrators): running, then queued in the order they will run, then finished."""
    read = control.listing(user, None, state, page.offset, page.probe)
    return [task_public(t) for t in paged(read, page, request, response)]


@router.get("/api/v1/projects/{project_id}/tasks", response_model=list[TaskPublic])
def list_project_tasks(
    project_id: str, user: CurrentUser, control: QueueControlDep, page: PageDep, request: Request, response: Response,
    state: StatesQuery = [],  # noqa: B006 (FastAPI copies query defaults)
) -> list[TaskPublic]:  # fmt: skip
    """The project's tasks (any member): running, then queued in the order they will run, then finished."""
    read = control.listing(user, project_id, state, page.offset, page.probe)
    return [task_public(t) for t in paged(read, page, request, response)]


@router.post("/api/v1/tasks/{task_id}/move_to_front", response_model=TaskPublic)
def move_task_to_front(task_id: str, user: CurrentUser, control: QueueControlDep) -> TaskPublic:
    """Run this queued task before every other queued task of its project (editors)."""
    return task_public(control.move_to_front(user, task_id))


@router.get("/api/v1/projects/{project_id}/queue", response_model=QueuePublic)
def get_project_queue(project_id: str, user: CurrentUser, control: QueueControlDep) -> QueuePublic:
    return queue_public(control.state(user, project_id))


@router.post("/api/v1/projects/{project_id}/queue/pause", response_model=QueuePublic)
def pause_project_queue(project_id: str, user: CurrentUser, control: QueueControlDep) -> QueuePublic:
    """Hold the project's queued tasks (running ones finish); editors."""
    return queue_public(control.pause(user, project_id))


@router.post("/api/v1/projects/{project_id}/queue/resume", response_model=QueuePublic)
def resume_project_queue(project_id: str, user: CurrentUser, control: QueueControlDep) -> QueuePublic:
    return queue_public(control.resume(user, project_id))
