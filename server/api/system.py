"""GET /api/v1/system/health and /workers."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlmodel import col, select

from server.api.deps import CurrentUser, GitLfsDep, ProjectServiceDep, SessionDep, SettingsDep
from server.api.models import HealthCheck, HealthPublic
from server.api.pagination import PageDep, paged, window
from server.db.tables import Task, TaskState
from server.dispatch.registry import WorkerRecord, WorkerRegistry
from server.system.health import check_database, check_git_lfs, check_redis

router = APIRouter(prefix="/api/v1/system", tags=["system"])


@router.get("/health", response_model=HealthPublic, name="system_health")
def health(request: Request, user: CurrentUser, settings: SettingsDep, git_lfs: GitLfsDep) -> HealthPublic:
    """Server paths and addresses are for admins: others learn what is wrong, not where the server keeps it."""
    checks = {
        "git_lfs": check_git_lfs(git_lfs),
        "database": check_database(request.app.state.engine),
        "redis": check_redis(settings.redis_url),
    }
    return HealthPublic(
        status="ok" if all(c.ok for c in checks.values()) else "degraded",
        workspace=str(settings.workspace_dir) if user.is_admin else None,
        **{name: HealthCheck(ok=c.ok, message=c.told_to(user.is_admin)) for name, c in checks.items()},
    )


class WorkerTask(BaseModel):
    task_id: str
    project_id: str | None  # None: the studio's own task (a model pull)
    node_id: str | None
    progress: float
    gpu: str | None


class WorkerPublic(WorkerRecord):
    heartbeat_age_s: float
    # The tasks it runs now; of projects the caller cannot open, none are shown (administrators see all).
    current_tasks: list[WorkerTask]


@router.get("/workers", response_model=list[WorkerPublic], name="list_workers")
def workers(
    user: CurrentUser,
    settings: SettingsDep,
    session: SessionDep,
    projects: ProjectServiceDep,
    page: PageDep,
    request: Request,
    response: Response,
) -> list[WorkerPublic]:
    """Workers that announced themselves within the last heartbeats, by id: their GPUs (VRAM free and used),
    queues, heartbeat age and the tasks they run now."""
    if not settings.redis_url:
        return []
    live = paged(window(WorkerRegistry.from_url(settings.redis_url).live(), page), page, request, response)
    running = select(Task).where(
        col(Task.state) == TaskState.RUNNING, col(Task.worker).in_([w.worker_id for w in live])
    )
    if not user.is_admin:
        running = running.where(col(Task.project_id).in_([v.project.id for v in projects.list_for(user)]))
    by_worker: dict[str, list[WorkerTask]] = {}
    for task in session.exec(running.order_by(col(Task.started_at))):
        by_worker.setdefault(task.worker or "", []).append(
            WorkerTask(
                task_id=task.id, project_id=task.project_id, node_id=task.node_id, progress=task.progress, gpu=task.gpu
            )
        )
    now = time.time()
    return [
        WorkerPublic(
            **w.model_dump(),
            heartbeat_age_s=round(max(now - w.seen_at, 0.0), 1),
            current_tasks=by_worker.get(w.worker_id, []),
        )
        for w in live
    ]
