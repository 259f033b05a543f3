"""POST /api/v1/models/{name}/pull: pull a model into a worker host's store as a task (administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, status
from fastapi import Path as PathParam

from server.api.deps import CurrentUser, SettingsDep, TaskServiceDep
from server.api.models import ModelPullCreate
from server.api.tasks import TaskPublic, task_public
from server.models.pull_job import ModelPulls

router = APIRouter(tags=["models"])


@router.post("/api/v1/models/{name}/pull", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
def pull_model(
    name: Annotated[str, PathParam(max_length=200, description="The model's folder in the store.")],
    user: CurrentUser,
    settings: SettingsDep,
    tasks: TaskServiceDep,
    body: Annotated[ModelPullCreate | None, Body()] = None,
) -> TaskPublic:
    """Download, hash-check and install a model (`studio models pull`, run by a worker): follow it in the tasks
    panel (GET /api/v1/tasks, server:task_progress in the studio room), cancel it like any task."""
    given = body or ModelPullCreate()
    pulls = ModelPulls(settings, tasks)
    return task_public(pulls.start(user, name, given.repo, given.revision, given.replace, given.worker))
