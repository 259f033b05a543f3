"""Queue control for the tasks panel: listing a project's (or, for admins, the studio's) tasks in queue order,
moving a queued task to the front of its project's queue, and pausing and resuming a project's queue.

The order and the pause live in the database, not in Celery: a worker's message runs the first due task of its
queue (server.jobs.rows.claim_next), so a reorder or a pause takes effect at the next claim with nothing taken
out of Celery. A message that finds only paused tasks is spent; resuming sends one per held task again (a spare
message finds nothing due and ends), so no held task is ever left without one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import case, func, update
from sqlmodel import col, select

from schemas.models.ws_events import Level
from server.db.tables import Project, Task, TaskState, User, utcnow
from server.errors import ConflictError, PermissionDeniedError
from server.jobs.kinds import JobKind
from server.jobs.service import PAUSED_CODE, TaskService, paused_message
from server.projects.service import Access

RESUMED_CODE = "queue_resumed"
# Running first, then queued in the order they will run, then finished, newest first.
_STATE_RANK = case(
    (col(Task.state) == TaskState.RUNNING, 0),
    (col(Task.state) == TaskState.QUEUED, 1),
    else_=2,
)


@dataclass(frozen=True)
class QueueState:
    project_id: str
    paused_by: str | None
    queued: int
    running: int


class QueueControl:
    def __init__(self, tasks: TaskService) -> None:
        self.tasks = tasks
        self.session = tasks.session
        self.projects = tasks.projects

    def listing(
        self, user: User, project_id: str | None, states: Sequence[TaskState], offset: int, limit: int
    ) -> list[Task]:
        """A project's tasks (any member), or every project's (`project_id` None: admins only), filtered by
        `states` (all when empty): running, then queued in the order they will run, then finished, newest first."""
        query = select(Task)
        if project_id is None:
            if not user.is_admin:
                raise PermissionDeniedError(
                    "Only an administrator sees every project's tasks; open a project to see its tasks."
                )
        else:
            self.projects.open(user, project_id)
            query = query.where(col(Task.project_id) == project_id)
        if states:
            query = query.where(col(Task.state).in_(states))
        active_order = case((col(Task.state).in_((TaskState.RUNNING, TaskState.QUEUED)), col(Task.position)))
        order = (_STATE_RANK, active_order, col(Task.finished_at).desc(), col(Task.id))
        return list(self.session.exec(query.order_by(*order).offset(offset).limit(limit)))

    def move_to_front(self, user: User, task_id: str) -> Task:
        """Before every other queued task of its project (or of the studio's own tasks), in one statement
        (concurrent moves and claims see either the old or the new position, never half of a reorder)."""
        task = self.tasks.get(user, task_id)  # a studio task: administrators only
        if task.project_id is not None:
            self.projects.open(user, task.project_id, Access.WRITE)
        first = (
            select(func.min(Task.position))
            .where(col(Task.project_id).is_not_distinct_from(task.project_id), col(Task.state) == TaskState.QUEUED)
            .scalar_subquery()
        )
        moved = self.session.execute(
            update(Task)
            .where(col(Task.id) == task.id, col(Task.state) == TaskState.QUEUED, col(Task.position) > first)
            .values(position=first - 1, updated_at=utcnow())
        )
        self.session.commit()
        self.session.refresh(task)
        if moved.rowcount == 0 and task.state is not TaskState.QUEUED:  # type: ignore[attr-defined]
            raise ConflictError(f"Task '{task_id}' is {task.state.value}; only a queued task can be moved.")
        return task

    def state(self, user: User, project_id: str) -> QueueState:
        project = self.projects.open(user, project_id).project
        counts = dict(
            self.session.exec(
                select(Task.state, func.count())
                .where(col(Task.project_id) == project_id, col(Task.state).in_((TaskState.QUEUED, TaskState.RUNNING)))
                .group_by(col(Task.state))
            ).all()
        )
        return QueueState(
            project.id, project.queue_paused_by, counts.get(TaskState.QUEUED, 0), counts.get(TaskState.RUNNING, 0)
        )

    def pause(self, user: User, project_id: str) -> QueueState:
        """Hold the project's queued tasks (running ones finish); each held node is told why."""
        self.projects.open(user, project_id, Access.WRITE)
        self._set_paused(project_id, user.username)
        for task in self._queued(project_id):
            self.tasks.events_of(task).notify(Level.info, PAUSED_CODE, paused_message(user.username))
        return self.state(user, project_id)

    def resume(self, user: User, project_id: str) -> QueueState:
        self.projects.open(user, project_id, Access.WRITE)
        jobs = self.tasks.require_queue()  # before the change: a resume that cannot send the tasks changes nothing
        if self._set_paused(project_id, None):
            for task in self._queued(project_id):
                jobs.enqueue(JobKind(task.kind), task.id, task.queue, ticket=str(uuid.uuid4()))
                self.tasks.events_of(task).notify(
                    Level.info, RESUMED_CODE, f"{user.username} resumed this project's queue; waiting for a worker."
                )
        return self.state(user, project_id)

    def _set_paused(self, project_id: str, paused_by: str | None) -> bool:
        """True when this call changed it (of two concurrent pauses or resumes, one does)."""
        changed = self.session.execute(
            update(Project)
            .where(
                col(Project.id) == project_id,
                col(Project.queue_paused_by).is_(None) if paused_by else col(Project.queue_paused_by).is_not(None),
            )
            .values(queue_paused_by=paused_by)
        )
        self.session.commit()
        return bool(changed.rowcount)  # type: ignore[attr-defined]

    def _queued(self, project_id: str) -> list[Task]:
        return list(
            self.session.exec(
                select(Task)
                .where(col(Task.project_id) == project_id, col(Task.state) == TaskState.QUEUED)
                .order_by(col(Task.position))
            )
        )
