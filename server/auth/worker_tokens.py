"""Worker tokens: the credential of stateless workers, made, listed and revoked by an admin on the server machine.

A worker token is an access token (same table, same hashing, same expiry and revocation) with the scope `worker`,
held by the admin who created it: it opens git over HTTP for the projects that have a queued or running task and
nothing else (server.api.git), and no REST route accepts it (they take signed-in sessions only).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from server.auth.access_tokens import create_token
from server.config import Settings
from server.db.tables import AccessToken, Project, Task, TaskState, TokenScope, User
from server.errors import NotFoundError, PermissionDeniedError

DEFAULT_NAME = "worker"


def create_worker_token(
    session: Session, admin: User, settings: Settings, name: str = DEFAULT_NAME
) -> tuple[AccessToken, str]:
    """A new worker token living STUDIO_PERSONAL_TOKEN_MAX_DAYS; the secret is returned once, never stored."""
    return create_token(session, admin, name, settings, scope=TokenScope.WORKER, days=settings.personal_token_max_days)


def list_worker_tokens(session: Session) -> list[AccessToken]:
    query = select(AccessToken).where(AccessToken.scope == TokenScope.WORKER).order_by(col(AccessToken.id))
    return list(session.exec(query))


def revoke_worker_token(session: Session, token_id: int) -> None:
    """Deleted at once: the next git request (and every LFS transfer granted with it) is refused."""
    token = session.get(AccessToken, token_id)
    if token is None or token.scope is not TokenScope.WORKER:
        raise NotFoundError(
            f"There is no worker token with id {token_id}; list them with `studio workers token list`.", field="id"
        )
    session.delete(token)
    session.commit()


def require_task_for_worker(session: Session, project: Project) -> None:
    """A worker token opens a project only while it has a task to run: queued, or running (its checkout and push)."""
    waiting = select(Task.id).where(
        Task.project_id == project.id, col(Task.state).in_([TaskState.QUEUED, TaskState.RUNNING])
    )
    if session.exec(waiting.limit(1)).first() is None:
        raise PermissionDeniedError(
            f"This worker token opens only projects with a queued or running task, and '{project.slug}' has none; "
            "a worker clones a project when it claims one of its tasks."
        )
