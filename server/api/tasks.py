"""/api/v1/tasks: start a generation, follow, cancel and retry a task; and the nodes' takes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from pydantic import BaseModel, Field, TypeAdapter

from schemas.models.ws_events import TakeSummary
from server.api.deps import CurrentUser, ProjectServiceDep, SessionDep, SettingsDep, TaskServiceDep
from server.api.pagination import PageDep, paged, window
from server.assembly.target import RenderSpec
from server.db.tables import Task, TaskState
from server.errors import InvalidInputError
from server.generation.service import GenerationService
from server.generation.spec import GenerationSpec
from server.jobs.kinds import JobKind
from server.models.pull_job import PullSpec
from server.takes.slots import nodes_by_id, slot_for
from server.takes.store import list_takes
from server.takes.summary import take_summary
from server.training.spec import TrainingSpec

router = APIRouter(tags=["tasks"])

# A task's spec, one shape per job kind.
TaskSpec = Annotated[GenerationSpec | RenderSpec | TrainingSpec | PullSpec, Field(discriminator="kind")]
_SPEC: TypeAdapter[GenerationSpec | RenderSpec | TrainingSpec | PullSpec] = TypeAdapter(TaskSpec)


def get_generation(
    session: SessionDep, settings: SettingsDep, projects: ProjectServiceDep, tasks: TaskServiceDep
) -> GenerationService:
    return GenerationService(session, settings, projects, tasks)


GenerationDep = Annotated[GenerationService, Depends(get_generation)]


class GenerateShot(BaseModel):
    project_id: Annotated[str, Field(min_length=1, max_length=64)]
    node_id: Annotated[str, Field(min_length=1, max_length=128)]


class TaskPublic(BaseModel):
    task_id: str
    project_id: str | None = Field(description="None: the studio's own task (a model pull), for administrators.")
    node_id: str | None
    kind: JobKind
    state: TaskState
    progress: float
    queue: str
    worker: str | None = Field(description="The worker that claimed it (its id in GET /api/v1/system/workers).")
    gpu: str | None = Field(description="The GPU it runs on; None for CPU tasks and tasks not started.")
    spec: TaskSpec
    take_path: str | None
    error: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def task_public(task: Task) -> TaskPublic:
    return TaskPublic(
        task_id=task.id,
        project_id=task.project_id,
        node_id=task.node_id,
        kind=JobKind(task.kind),
        state=task.state,
        progress=task.progress,
        queue=task.queue,
        worker=task.worker,
        gpu=task.gpu,
        spec=_SPEC.validate_python(task.spec),
        take_path=task.take_path,
        error=task.error,
        attempts=task.attempts,
        created_at=task.created_at,
        started_at=task.started_at,
        finished_at=task.finished_at,
    )


@router.post("/api/v1/tasks/generate_shot", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
def generate_shot(body: GenerateShot, user: CurrentUser, generation: GenerationDep) -> TaskPublic:
    return task_public(generation.start(user, body.project_id, body.node_id))


@router.get("/api/v1/tasks/{task_id}", response_model=TaskPublic)
def get_task(task_id: str, user: CurrentUser, tasks: TaskServiceDep) -> TaskPublic:
    return task_public(tasks.get(user, task_id))


@router.post("/api/v1/tasks/{task_id}/cancel", response_model=TaskPublic)
def cancel_task(task_id: str, user: CurrentUser, tasks: TaskServiceDep) -> TaskPublic:
    return task_public(tasks.cancel(user, task_id))


@router.post("/api/v1/tasks/{task_id}/retry", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
def retry_task(task_id: str, user: CurrentUser, generation: GenerationDep) -> TaskPublic:
    return task_public(generation.retry(user, task_id))


@router.get("/api/v1/projects/{project_id}/takes", response_model=list[TakeSummary])
def list_node_takes(
    project_id: str,
    user: CurrentUser,
    projects: ProjectServiceDep,
    node_id: Annotated[str, Query(max_length=128)],
    page: PageDep,
    request: Request,
    response: Response,
) -> list[TakeSummary]:
    """The node's takes, read from its render folder (PRD §3.3), oldest first."""
    project = projects.open(user, project_id).project
    graph = projects.live_graph(project)
    nodes = nodes_by_id(graph)
    if node_id not in nodes:
        raise InvalidInputError(f"The project has no node '{node_id}'.", field="node_id")
    takes = list_takes(projects.repo(project).root, slot_for(nodes, node_id))
    return [take_summary(project.id, take) for take in paged(window(takes, page), page, request, response)]


@router.get("/api/v1/projects/{project_id}/takes/by-node", response_model=dict[str, list[TakeSummary]])
def list_takes_by_node(project_id: str, user: CurrentUser, projects: ProjectServiceDep) -> dict[str, list[TakeSummary]]:
    """Every node's takes by node id, nodes without takes left out: a canvas opening asks once, not once
    per node (650 shots cost 650 requests, each parsing the whole graph: seconds of server time)."""
    project = projects.open(user, project_id).project
    graph = projects.live_graph(project)
    root = projects.repo(project).root
    nodes = nodes_by_id(graph)
    by_node: dict[str, list[TakeSummary]] = {}
    for node in graph["nodes"]:
        try:
            takes = list_takes(root, slot_for(nodes, node["id"]))
        except InvalidInputError:
            continue  # a node whose shot id or version is malformed has no render folder to read
        if takes:
            by_node[node["id"]] = [take_summary(project.id, take) for take in takes]
    return by_node
