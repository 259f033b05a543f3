"""How much one user may hold at once: projects owned, tasks queued or running."""

from __future__ import annotations

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from server.db.tables import Project, Task, TaskState, User
from server.errors import QuotaExceededError

UNFINISHED = (TaskState.QUEUED, TaskState.RUNNING)


def hold_quotas_of(session: Session, user: User) -> None:
    """Serialise one user's quota checks until the session commits: a count and the insert it allows must not
    interleave with another request's, or parallel requests all count the same free room and all pass.

    A write to the user's row does it on both databases: PostgreSQL locks the row, SQLite takes its one write
    lock (and a write transaction always reads the newest data). The value written is the value there."""
    session.execute(update(User).where(col(User.id) == user.id).values(token_generation=User.token_generation))


def require_project_room(session: Session, user: User, max_projects: int) -> None:
    owned = session.exec(select(func.count()).select_from(Project).where(Project.owner_id == user.id)).one()
    if owned >= max_projects:
        raise QuotaExceededError(
            f"You own {owned} projects, the most one account may own (STUDIO_MAX_PROJECTS_PER_USER = "
            f"{max_projects}); ask an administrator to raise the limit, or work in one of your projects.",
            field="name",
        )


def require_task_room(session: Session, user: User, max_tasks: int) -> None:
    unfinished = session.exec(
        select(func.count()).select_from(Task).where(Task.user_id == user.id, col(Task.state).in_(UNFINISHED))
    ).one()
    if unfinished >= max_tasks:
        raise QuotaExceededError(
            f"You have {unfinished} tasks queued or running, the most one account may have "
            f"(STUDIO_MAX_QUEUED_TASKS_PER_USER = {max_tasks}); wait for some to finish or cancel them "
            "(POST /api/v1/tasks/{id}/cancel), then start this one again.",
        )
