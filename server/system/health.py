"""What /api/v1/system/health reports: each dependency with a sentence."""

from __future__ import annotations

from dataclasses import dataclass

import redis
from sqlalchemy import Engine, text

from server.system.git_lfs import GitLfsStatus


@dataclass(frozen=True)
class Check:
    ok: bool
    message: str


def check_database(engine: Engine) -> Check:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "down"; the message says which
        return Check(False, f"The database is unreachable: {exc.__class__.__name__}: {exc}")
    return Check(True, f"{engine.dialect.name} is reachable.")


def check_redis(redis_url: str | None) -> Check:
    if redis_url is None:
        return Check(False, "No Redis is configured: start the studio with `studio up`, or set STUDIO_REDIS_URL.")
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except (redis.RedisError, OSError) as exc:
        return Check(False, f"Redis at {redis_url} does not answer ({exc}); is it running?")
    return Check(True, "Redis answers.")


def check_git_lfs(status: GitLfsStatus) -> Check:
    return Check(status.available, status.message)
