"""GET /api/v1/system/health."""

from __future__ import annotations

from fastapi import APIRouter, Request

from server.api.deps import CurrentUser, GitLfsDep, SettingsDep
from server.api.models import HealthCheck, HealthPublic
from server.dispatch.registry import WorkerRecord, WorkerRegistry
from server.system.health import check_database, check_git_lfs, check_redis

router = APIRouter(prefix="/api/v1/system", tags=["system"])


@router.get("/health", response_model=HealthPublic)
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


@router.get("/workers", response_model=list[WorkerRecord])
def workers(_user: CurrentUser, settings: SettingsDep) -> list[WorkerRecord]:
    """Workers that announced themselves within the last heartbeats, with their GPUs and queues."""
    if not settings.redis_url:
        return []
    return WorkerRegistry.from_url(settings.redis_url).live()
