"""GET /healthz and /readyz for orchestrators: deliberately unauthenticated, so they answer with names and
booleans only; the sentences and details are on /api/v1/system/health, behind sign-in."""

from __future__ import annotations

import redis
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from server.api.deps import GitLfsDep, SettingsDep
from server.api.models import ReadinessCheck, ReadinessPublic
from server.dispatch.registry import WorkerRegistry
from server.system.health import check_database, check_git_lfs, check_redis

router = APIRouter(tags=["probes"])


@router.get("/healthz", name="healthz")
def healthz() -> dict[str, str]:
    """The process is alive and answers; nothing else is checked."""
    return {"status": "alive"}


def _a_worker_is_live(redis_url: str) -> bool:
    try:
        return bool(WorkerRegistry.from_url(redis_url).live())
    except (redis.RedisError, OSError):
        return False


@router.get(
    "/readyz",
    name="readyz",
    response_model=ReadinessPublic,
    responses={503: {"model": ReadinessPublic, "description": "A check failed: `failing` names it."}},
)
def readyz(request: Request, settings: SettingsDep, git_lfs: GitLfsDep) -> JSONResponse:
    """Ready to serve work: the database and Redis answer, git-lfs is installed, and at least one worker is live."""
    checks: dict[ReadinessCheck, bool] = {
        "database": check_database(request.app.state.engine).ok,
        "redis": check_redis(settings.redis_url).ok,
        "git_lfs": check_git_lfs(git_lfs).ok,
    }
    checks["workers"] = checks["redis"] and settings.redis_url is not None and _a_worker_is_live(settings.redis_url)
    failing = [name for name, ok in checks.items() if not ok]
    body = ReadinessPublic(status="not_ready" if failing else "ready", failing=failing, checks=checks)
    return JSONResponse(body.model_dump(), status_code=503 if failing else 200)
