"""What /api/v1/system/health reports: each dependency with a sentence (server specifics for admins)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import redis
from sqlalchemy import Engine, text

from server.system.git_lfs import GitLfsStatus


@dataclass(frozen=True)
class Check:
    ok: bool
    message: str
    detail: str | None = None  # addresses, paths, driver errors: for admins only

    def told_to(self, admin: bool) -> str:
        return f"{self.message} {self.detail}" if admin and self.detail else self.message


def _without_password(url: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", url)


def check_database(engine: Engine) -> Check:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # any driver error means "down"; the detail says which
        return Check(
            False,
            "The database is unreachable; is it running? (STUDIO_DATABASE_URL)",
            f"{exc.__class__.__name__}: {exc}",
        )
    return Check(True, f"{engine.dialect.name} is reachable.")


def check_redis(redis_url: str | None) -> Check:
    if redis_url is None:
        return Check(False, "No Redis is configured: start the studio with `studio up`, or set STUDIO_REDIS_URL.")
    try:
        with redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1) as client:
            client.ping()
    except (redis.RedisError, OSError) as exc:
        return Check(
            False,
            "Redis does not answer; is it running? (STUDIO_REDIS_URL)",
            f"Tried {_without_password(redis_url)}: {exc}",
        )
    return Check(True, "Redis answers.")


def check_git_lfs(status: GitLfsStatus) -> Check:
    return Check(status.available, status.message)
