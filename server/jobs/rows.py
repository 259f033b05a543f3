"""A task row's state changes, each a compare-and-set on the state it may come from: two writers never both win,
and a cancelled (or otherwise finished) task is never written over."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Engine, update
from sqlmodel import Session, col

from server.db.tables import Task, TaskState, utcnow

ACTIVE = (TaskState.QUEUED, TaskState.RUNNING)


def _move(session: Session, task_id: str, allowed: tuple[TaskState, ...], **values: Any) -> bool:
    statement = (
        update(Task).where(col(Task.id) == task_id, col(Task.state).in_(allowed)).values(updated_at=utcnow(), **values)
    )
    result = cast(CursorResult[Any], session.execute(statement))
    session.commit()
    return result.rowcount == 1


def claim(engine: Engine, task_id: str) -> bool:
    """Queued, or running on a worker that died (a re-delivery): it runs now, here. False when it is finished."""
    with Session(engine) as session:
        return _move(
            session,
            task_id,
            ACTIVE,
            state=TaskState.RUNNING,
            started_at=utcnow(),
            attempts=col(Task.attempts) + 1,
            error=None,
        )


def record_progress(engine: Engine, task_id: str, progress: float) -> None:
    with Session(engine) as session:
        _move(session, task_id, (TaskState.RUNNING,), progress=progress)


def finish(engine: Engine, task_id: str, state: TaskState, **values: Any) -> bool:
    """Succeeded or failed, only if it is still running: False when a cancel came first."""
    with Session(engine) as session:
        return _move(session, task_id, (TaskState.RUNNING,), state=state, finished_at=utcnow(), **values)


def cancel(session: Session, task_id: str) -> bool:
    """Cancelled, if it had not finished: False when it already had."""
    return _move(session, task_id, ACTIVE, state=TaskState.CANCELLED, finished_at=utcnow())


def fail_unsent(session: Session, task_id: str, message: str) -> None:
    """A task the queue never received: failed, so it does not wait forever."""
    _move(session, task_id, (TaskState.QUEUED,), state=TaskState.FAILED, error=message, finished_at=utcnow())


def is_cancelled(engine: Engine, task_id: str) -> bool:
    with Session(engine) as session:
        task = session.get(Task, task_id)
        return task is not None and task.state is TaskState.CANCELLED


def state_of(engine: Engine, task_id: str) -> TaskState | None:
    """None when the task is gone (its project was deleted)."""
    with Session(engine) as session:
        task = session.get(Task, task_id)
        return task.state if task is not None else None
