"""Tasks for the API and the socket: the one way a job is submitted (the row first, then the queue), and looking a
task up or cancelling it, whatever its kind."""

from __future__ import annotations

import logging
import uuid

from sqlmodel import Session

from schemas.models.ws_events import Level, NodeState
from server.db.tables import Project, Task, User
from server.dispatch.placement import Placement
from server.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError, StudioError
from server.events import EventSink
from server.jobs import rows
from server.jobs.events import TaskEvents
from server.jobs.kinds import JobSpec
from server.jobs.queue import JobQueue
from server.limits.quotas import hold_quotas_of, require_task_room
from server.projects.service import Access, ProjectService

log = logging.getLogger(__name__)
NO_QUEUE_MESSAGE = "Long jobs need Redis and a worker: start the studio with `studio up`."
PAUSED_CODE = "queue_paused"


def paused_message(paused_by: str) -> str:
    return f"Waiting: {paused_by} paused this project's queue. Resume it in the Tasks panel to run this task."


class TaskNotFoundError(NotFoundError):
    code = "task_not_found"


class QueueUnavailableError(StudioError):
    code = "queue_unavailable"


class TaskService:
    def __init__(self, session: Session, projects: ProjectService, jobs: JobQueue | None, events: EventSink) -> None:
        self.session = session
        self.projects = projects
        self.jobs = jobs
        self.events = events

    def require_queue(self) -> JobQueue:
        if self.jobs is None:
            raise InvalidInputError(NO_QUEUE_MESSAGE)
        return self.jobs

    def submit(self, user: User, project_id: str | None, node_id: str | None, queue: str, spec: JobSpec) -> Task:
        """Record the task, then send it: a worker reads the row by id, so the row is durable first. A task of no
        project (and no node) is the studio's own: its caller has checked that `user` is an administrator."""
        jobs = self.require_queue()
        hold_quotas_of(self.session, user)
        require_task_room(self.session, user, self.projects.settings.max_queued_tasks_per_user)
        task = Task(
            id=str(uuid.uuid4()),
            project_id=project_id,
            node_id=node_id,
            kind=spec.kind.value,
            user_id=user.id,
            queue=queue,
            spec=spec.model_dump(mode="json"),
        )
        self.session.add(task)
        self.session.commit()
        try:
            jobs.enqueue(spec.kind, task.id, queue, ticket=task.id)
        except Exception as exc:
            log.exception("could not enqueue %s", task.id)
            message = f"The task could not be queued ({exc.__class__.__name__}); check that Redis is running."
            rows.fail_unsent(self.session, task.id, message)
            raise QueueUnavailableError(message) from exc
        self.events_of(task).node_state(NodeState.queued)
        project = self.session.get(Project, project_id) if project_id is not None else None
        if project is not None and project.queue_paused_by is not None:
            self.events_of(task).notify(Level.info, PAUSED_CODE, paused_message(project.queue_paused_by))
        return task

    def announce(self, task: Task, placement: Placement) -> None:
        """Tell the task's node why it waits, or why it runs on less than was asked for (PRD §7.2)."""
        events = self.events_of(task)
        if placement.fallback:
            events.notify(Level.warning, "quality_fallback", placement.fallback)
        if placement.waiting_for:
            events.notify(Level.info, "waiting_for_worker", placement.waiting_for)

    def events_of(self, task: Task) -> TaskEvents:
        return TaskEvents(self.events, task.project_id, task.node_id, task.id)

    def get(self, user: User, task_id: str) -> Task:
        task = self.session.get(Task, task_id)
        if task is None:
            raise TaskNotFoundError(f"No task with id '{task_id}'.", field="task_id")
        if task.project_id is None:
            if not user.is_admin:
                raise PermissionDeniedError(
                    f"Task '{task_id}' is the studio's own ({task.kind}), not a project's: only an administrator "
                    "sees or cancels it."
                )
            return task
        try:
            self.projects.open(user, task.project_id)
        except NotFoundError as exc:  # a task of a project you cannot see does not exist for you
            raise TaskNotFoundError(f"No task with id '{task_id}'.", field="task_id") from exc
        return task

    def cancel(self, user: User, task_id: str) -> Task:
        task = self.get(user, task_id)
        if task.project_id is not None:
            self.projects.open(user, task.project_id, Access.WRITE)
        if not rows.cancel(self.session, task.id):
            self.session.refresh(task)
            raise ConflictError(f"Task '{task_id}' has already {task.state.value}; nothing to cancel.")
        self.session.refresh(task)
        # A queued task is dropped (revoked, or refused by the worker when it sees the state); a running one is
        # stopped by its job's watch, which polls the state and kills its process or container.
        self.require_queue().revoke(task.id)
        self.events_of(task).node_state(NodeState.idle)
        return task
