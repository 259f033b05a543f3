"""/api/v1/projects/{id}/…: export a Sequence (EDL, OTIO, FCP XML), import an edit onto it, render it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from server.api.deps import CurrentUser, EventsDep, ProjectServiceDep, TaskServiceDep
from server.api.tasks import TaskPublic, task_public
from server.assembly.service import AssemblyService

router = APIRouter(prefix="/api/v1/projects/{project_id}", tags=["assembly"])


def get_assembly(projects: ProjectServiceDep, events: EventsDep, tasks: TaskServiceDep) -> AssemblyService:
    return AssemblyService(projects, events, tasks)


AssemblyDep = Annotated[AssemblyService, Depends(get_assembly)]


class AssembleRequest(BaseModel):
    # Optional here and checked after the project's access check: another user's project answers 404, never 422.
    node_id: Annotated[str | None, Field(max_length=128, description="A Sequence or VSE Assembler node.")] = None


class ExportPublic(BaseModel):
    otio_path: str
    xml_path: str
    edl_path: str | None
    warnings: list[str]
    commit: str | None


class ImportPublic(BaseModel):
    version: int
    timeline: list[dict[str, Any]]
    transitions: list[dict[str, Any]]
    matched_by: list[str]


@router.post("/sequences/{node_id}/export", response_model=ExportPublic)
def export_sequence(project_id: str, node_id: str, user: CurrentUser, assembly: AssemblyDep) -> ExportPublic:
    done = assembly.export(user, project_id, node_id)
    return ExportPublic(
        otio_path=done.otio_path,
        xml_path=done.xml_path,
        edl_path=done.edl_path,
        warnings=list(done.warnings),
        commit=done.commit,
    )


@router.post("/sequences/{node_id}/import", response_model=ImportPublic)
async def import_sequence(
    project_id: str, node_id: str, user: CurrentUser, assembly: AssemblyDep, file: UploadFile | None = None
) -> ImportPublic:
    # The file is optional here and required by the service after the access check (404 before 422).
    content = await file.read() if file is not None else None
    filename = (file.filename or "") if file is not None else ""
    done = await run_in_threadpool(assembly.import_edit, user, project_id, node_id, filename, content)
    return ImportPublic(
        version=done.edit.version,
        timeline=[c.entry for c in done.clips],
        transitions=done.transitions,
        matched_by=[c.matched_by for c in done.clips],
    )


@router.post("/assemble", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
def assemble(project_id: str, body: AssembleRequest, user: CurrentUser, assembly: AssemblyDep) -> TaskPublic:
    return task_public(assembly.start_render(user, project_id, body.node_id))
