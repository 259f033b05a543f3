"""Starting a generation: validate and compile the graph, decide pipeline and queue, record, enqueue."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace

from celery import Celery
from sqlmodel import Session

from server.config import Settings
from server.db.tables import Task, TaskState, User, utcnow
from server.dispatch.capabilities import TIER_MARGIN_GB
from server.dispatch.placement import fits_hardware, queue_for, vram_needed_gb
from server.dispatch.registry import WorkerRegistry
from server.errors import ConflictError, InvalidInputError, NotFoundError
from server.events import EventSink, ServerEvent
from server.generation.decision import Dispatch
from server.generation.slots import slot_for
from server.graph.compiler import compile_node
from server.graph.context import project_compile_context
from server.limits.quotas import require_task_room
from server.projects.service import Access, ProjectService
from server.tasks.names import TaskName

QUEUE_POLICY = "queue"


class TaskNotFoundError(NotFoundError):
    code = "task_not_found"


class GenerationService:
    def __init__(
        self, session: Session, settings: Settings, projects: ProjectService, celery: Celery, events: EventSink
    ) -> None:
        self.session = session
        self.settings = settings
        self.projects = projects
        self.celery = celery
        self.events = events

    def _registry(self) -> WorkerRegistry:
        if not self.settings.redis_url:
            raise InvalidInputError("Generation needs Redis and a worker: start the studio with `studio up`.")
        return WorkerRegistry.from_url(self.settings.redis_url)

    def start(self, user: User, project_id: str, node_id: str) -> Task:
        project = self.projects.open(user, project_id, Access.WRITE).project
        graph = json.loads(project.graph)
        repo = self.projects.repo(project)
        quality = project.quality
        live_vram = self._registry().max_vram_gb()
        context = project_compile_context(self.settings, repo.root, quality)
        if project.hardware_policy != QUEUE_POLICY:
            context = replace(context, fits=fits_hardware(live_vram, quality))
        plan = compile_node(graph, node_id, context)  # raises a 422-mapped error naming what is wrong
        for step in plan.steps:
            slot_for(graph, step.node_id)  # every step needs a take folder: refuse now, not on the worker
        target = plan.steps[-1]
        assert target.pipeline is not None
        manifests = [context.catalogue.pipelines[s.pipeline.pipeline_id] for s in plan.steps if s.pipeline]
        heaviest = max(manifests, key=lambda m: vram_needed_gb(m, quality))
        needed = vram_needed_gb(heaviest, quality)
        waiting = None
        if needed > live_vram + TIER_MARGIN_GB:
            waiting = (
                f"Waiting for a worker with at least {needed:g} GB of VRAM for '{heaviest.id}': none is online "
                "now. The task runs as soon as one appears."
            )
        dispatch = Dispatch(
            queue=queue_for(heaviest, quality),
            pipeline_id=target.pipeline.pipeline_id,
            quality_requested=quality,
            quality_used=target.pipeline.used_quality or quality,
            fallback=target.pipeline.fallback,
            waiting_for=waiting,
        )
        return self._enqueue(project_id, node_id, user, dispatch)

    def _enqueue(self, project_id: str, node_id: str, user: User, dispatch: Dispatch) -> Task:
        require_task_room(self.session, user, self.settings.max_queued_tasks_per_user)
        task = Task(
            id=str(uuid.uuid4()),
            project_id=project_id,
            node_id=node_id,
            kind=TaskName.GENERATE_SHOT.value,
            user_id=user.id,
            dispatch=json.dumps(dispatch.to_json()),
        )
        self.session.add(task)
        self.session.commit()  # enqueue only after the row is durable: the worker reads it by id
        self.celery.send_task(TaskName.GENERATE_SHOT.value, args=[task.id], task_id=task.id, queue=dispatch.queue)
        self.events.publish(
            project_id, ServerEvent.NODE_STATE_UPDATED, {"node_id": node_id, "state": "queued", "task_id": task.id}
        )
        if dispatch.fallback:
            self.events.publish(
                project_id,
                ServerEvent.NOTIFICATION,
                {
                    "level": "warning",
                    "code": "quality_fallback",
                    "message": dispatch.fallback,
                    "node_id": node_id,
                    "task_id": task.id,
                },
            )
        if dispatch.waiting_for:
            self.events.publish(
                project_id,
                ServerEvent.NOTIFICATION,
                {
                    "level": "info",
                    "code": "waiting_for_worker",
                    "message": dispatch.waiting_for,
                    "node_id": node_id,
                    "task_id": task.id,
                },
            )
        return task

    def get(self, user: User, task_id: str) -> Task:
        task = self.session.get(Task, task_id)
        if task is None:
            raise TaskNotFoundError(f"No task with id '{task_id}'.", field="task_id")
        try:
            self.projects.open(user, task.project_id)
        except NotFoundError as exc:  # a task of a project you cannot see does not exist for you
            raise TaskNotFoundError(f"No task with id '{task_id}'.", field="task_id") from exc
        return task

    def cancel(self, user: User, task_id: str) -> Task:
        task = self.get(user, task_id)
        self.projects.open(user, task.project_id, Access.WRITE)
        if task.state in (TaskState.SUCCEEDED, TaskState.FAILED, TaskState.CANCELLED):
            raise ConflictError(f"Task '{task_id}' has already {task.state.value}; nothing to cancel.")
        task.state = TaskState.CANCELLED
        task.finished_at = task.updated_at = utcnow()
        self.session.add(task)
        self.session.commit()
        # A queued task is dropped by the worker when it sees the state; a running one is killed by its
        # watcher, which polls the state (the container or process is killed, not just the Celery job).
        self.celery.control.revoke(task_id)
        self.events.publish(
            task.project_id,
            ServerEvent.NODE_STATE_UPDATED,
            {"node_id": task.node_id or "", "state": "idle", "task_id": task.id},
        )
        return task

    def retry(self, user: User, task_id: str) -> Task:
        task = self.get(user, task_id)
        if task.kind != TaskName.GENERATE_SHOT.value:
            raise ConflictError(
                f"Task '{task_id}' is a {task.kind} task; start it again (e.g. render the sequence again) "
                "instead of retrying it here."
            )
        if task.state not in (TaskState.FAILED, TaskState.CANCELLED):
            raise ConflictError(
                f"Task '{task_id}' is {task.state.value}; only failed or cancelled tasks can be retried."
            )
        if task.node_id is None:
            raise InvalidInputError(f"Task '{task_id}' has no node to generate.")
        return self.start(user, task.project_id, task.node_id)
