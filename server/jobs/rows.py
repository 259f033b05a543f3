"""A task row's state changes, each a compare-and-set on the state it may come from: two writers never both win,
and a cancelled (or otherwise finished) task is never written over."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Engine, or_, update
from sqlmodel import Session, col, select

from server.db.tables import Project, Task, TaskState, utcnow
from server.dispatch.capabilities import is_gpu_queue

ACTIVE = (TaskState.QUEUED, TaskState.RUNNING)
# How many due tasks one claim looks at before it reads again: claims that lose a race move on to the next.
CLAIM_BATCH = 8


@dataclass(frozen=True)
class Seat:
    """Where a claimed task runs: the worker (its registry id), and its GPU, recorded for tasks of a GPU queue."""

    worker: str | None = None
    gpu: str | None = None


def _move(
    session: Session, task_id: str, allowed: tuple[TaskState, ...], *conditions: ColumnElement[bool], **values: Any
) -> bool:
    statement = (
        update(Task)
        .where(col(Task.id) == task_id, col(Task.state).in_(allowed), *conditions)
        .values(updated_at=utcnow(), **values)
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


def claim_next(engine: Engine, ticket: str, queue: str, seat: Seat) -> str | None:
    """The task a Celery message (`ticket`) runs: the one it already claimed if it is redelivered (its worker
    died), else the first due task of `queue` in the studio's order, skipping projects whose queue is paused.
    Each candidate is a compare-and-set from queued, so two workers never take the same task. None: nothing due."""
    with Session(engine) as session:
        resumed = session.exec(
            select(Task.id).where(col(Task.ticket) == ticket, col(Task.state) == TaskState.RUNNING)
        ).first()
        # Redelivered to whichever worker is alive: that one runs it now, so the task names it (not the dead one).
        here = {"worker": seat.worker, "gpu": seat.gpu if is_gpu_queue(queue) else None}
        if resumed is not None and _move(
            session, resumed, (TaskState.RUNNING,), attempts=col(Task.attempts) + 1, **here
        ):
            return resumed
        # In the claim itself too: a pause that committed after the read above holds the task all the same.
        running_projects = select(Project.id).where(col(Project.queue_paused_by).is_(None))
        not_paused = or_(col(Task.project_id).is_(None), col(Task.project_id).in_(running_projects))  # None: studio
        while True:
            due = session.exec(
                select(Task.id)
                .where(
                    col(Task.queue) == queue,
                    col(Task.state) == TaskState.QUEUED,
                    not_paused,
                )
                .order_by(col(Task.position), col(Task.id))
                .limit(CLAIM_BATCH)
            ).all()
            if not due:
                return None
            for task_id in due:
                if _move(
                    session,
                    task_id,
                    (TaskState.QUEUED,),
                    not_paused,
                    state=TaskState.RUNNING,
                    started_at=utcnow(),
                    attempts=col(Task.attempts) + 1,
                    error=None,
                    ticket=ticket,
                    **here,
                ):
                    return task_id


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
