"""Starting a generation: compile and place it (server.dispatch.placement), record it, enqueue it, say why it
waits or fell back; retrying one."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from schemas.models.project_manifest import HardwarePolicy
from server.config import Settings
from server.db.tables import Task, TaskState, User
from server.dispatch.placement import place
from server.dispatch.registry import WorkerRecord, WorkerRegistry
from server.errors import ConflictError, InvalidInputError
from server.generation.spec import GenerationSpec, pipeline_params
from server.graph.context import project_compile_context
from server.graph.plan import PipelineKind
from server.jobs.kinds import JobKind
from server.jobs.service import NO_QUEUE_MESSAGE, TaskService
from server.projects.service import Access, ProjectService
from server.takes.slots import nodes_by_id, slot_for


class GenerationService:
    def __init__(self, session: Session, settings: Settings, projects: ProjectService, tasks: TaskService) -> None:
        self.session = session
        self.settings = settings
        self.projects = projects
        self.tasks = tasks

    def _live_workers(self) -> list[WorkerRecord]:
        if not self.settings.redis_url:
            raise InvalidInputError(NO_QUEUE_MESSAGE)
        return WorkerRegistry.from_url(self.settings.redis_url).live()

    def start(self, user: User, project_id: str, node_id: str) -> Task:
        self.tasks.require_queue()
        project = self.projects.open(user, project_id, Access.WRITE).project
        graph = self.projects.live_graph(project)
        context = project_compile_context(self.settings, self.projects.repo(project).root, project.quality, project.id)
        policy = HardwarePolicy(project.hardware_policy)
        plan, placement = place(graph, node_id, context, policy, self._live_workers())
        steps = []
        for step in plan.steps:
            if step.pipeline is None:
                raise InvalidInputError(
                    f"Node '{step.node_id}' runs no pipeline, so it cannot be generated; generate the node it "
                    "feeds, or give it a pipeline.",
                    field="node_id",
                )
            catalogue, chosen = context.catalogue, step.pipeline.pipeline_id
            schema = (
                catalogue.templates[chosen].manifest.params
                if step.pipeline.kind is PipelineKind.TEMPLATE
                else catalogue.pipelines[chosen].params
            )
            steps.append(replace(step, params=pipeline_params(step, schema, project.aspect_ratio)))
        # Every step needs a take folder: refused now, not on the worker.
        nodes = nodes_by_id(graph)
        slots = {step.node_id: slot_for(nodes, step.node_id) for step in steps}
        spec = GenerationSpec(placement=placement, steps=steps, slots=slots)
        task = self.tasks.submit(user, project_id, node_id, placement.queue, spec)
        self.tasks.announce(task, placement)
        return task

    def retry(self, user: User, task_id: str) -> Task:
        task = self.tasks.get(user, task_id)
        if task.kind != JobKind.GENERATE_SHOT:
            raise ConflictError(
                f"Task '{task_id}' is a {task.kind} task; start it again (e.g. render the sequence again) "
                "instead of retrying it here."
            )
        if task.state not in (TaskState.FAILED, TaskState.CANCELLED):
            raise ConflictError(
                f"Task '{task_id}' is {task.state.value}; only failed or cancelled tasks can be retried."
            )
        if task.node_id is None or task.project_id is None:  # a generation always has both
            raise InvalidInputError(f"Task '{task_id}' has no node to generate.")
        return self.start(user, task.project_id, task.node_id)
