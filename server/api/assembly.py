"""/api/v1/projects/{id}/…: export a Sequence (EDL, OTIO, FCP XML), import an edit onto it, render it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from schemas.models.sequence import ImportPreview
from schemas.models.ws_events import RenderSummary
from server.api.deps import CurrentUser, EventsDep, ProjectServiceDep, SessionDep, TaskServiceDep
from server.api.tasks import TaskPublic, task_public
from server.assembly.renders import node_renders
from server.assembly.service import MAX_IMPORT_BYTES, AssemblyService, ExportFormat

router = APIRouter(prefix="/api/v1/projects/{project_id}", tags=["assembly"])


def get_assembly(projects: ProjectServiceDep, events: EventsDep, tasks: TaskServiceDep) -> AssemblyService:
    return AssemblyService(projects, events, tasks)


AssemblyDep = Annotated[AssemblyService, Depends(get_assembly)]


class AssembleRequest(BaseModel):
    # Optional here and checked after the project's access check: another user's project answers 404, never 422.
    node_id: Annotated[str | None, Field(max_length=128, description="A Sequence or VSE Assembler node.")] = None


class ExportPublic(BaseModel):
    otio_path: str
    xml_path: str | None
    edl_path: str | None
    warnings: list[str]
    commit: str | None


class ImportPublic(BaseModel):
    version: int
    timeline: list[dict[str, Any]]
    transitions: list[dict[str, Any]]


EXPORT_MEDIA_TYPES = {
    ExportFormat.EDL: "text/plain",
    ExportFormat.OTIO: "application/json",
    ExportFormat.FCP_XML: "application/xml",
}


@router.post("/sequences/{node_id}/export", response_model=ExportPublic)
def export_sequence(project_id: str, node_id: str, user: CurrentUser, assembly: AssemblyDep) -> ExportPublic:
    """Writes and commits the Sequence's .edl, .otio and .xml to 04_Project_Files/EDLs/."""
    done = assembly.export(user, project_id, node_id)
    return ExportPublic(
        otio_path=done.otio_path,
        xml_path=done.xml_path,
        edl_path=done.edl_path,
        warnings=list(done.warnings),
        commit=done.commit,
    )


@router.get(
    "/sequences/{node_id}/export.{format}",
    response_class=Response,
    responses={200: {"content": {media: {"schema": {"type": "string"}} for media in EXPORT_MEDIA_TYPES.values()}}},
)
def download_sequence_export(
    project_id: str, node_id: str, format: ExportFormat, user: CurrentUser, assembly: AssemblyDep
) -> Response:
    """The Sequence as it is now in the live graph, as an .edl, .otio or .xml download, generated on demand (nothing
    is written or committed; POST …/export commits all three). Viewers may download."""
    done = assembly.export_text(user, project_id, node_id, format)
    return Response(
        done.text,
        media_type=EXPORT_MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{done.filename}"', "X-Content-Type-Options": "nosniff"},
    )


@router.post("/sequences/{node_id}/import", response_model=ImportPreview | ImportPublic)
async def import_sequence(
    project_id: str,
    node_id: str,
    user: CurrentUser,
    assembly: AssemblyDep,
    file: UploadFile | None = None,
    dry_run: Annotated[bool, Query(description="Only say what would change (an ImportPreview).")] = False,
    version: Annotated[int | None, Query(ge=1, description="The graph version the preview was made on.")] = None,
) -> ImportPreview | ImportPublic:
    """An edited .edl, .otio or .xml onto the Sequence: with dry_run, the preview of what would change (matched and
    unmatched clips, new trims, order); without, applied as one graph edit on `version` (409 when the graph moved on
    since, 422 when a clip matches no take)."""
    # The file is optional here and required by the service after the access check (404 before 422). One byte past
    # the limit is read, so the service can say it is too large without holding more.
    content = await file.read(MAX_IMPORT_BYTES + 1) if file is not None else None
    filename = (file.filename or "") if file is not None else ""
    if dry_run:
        return await run_in_threadpool(assembly.preview_import, user, project_id, node_id, filename, content)
    done = await run_in_threadpool(assembly.import_edit, user, project_id, node_id, filename, content, version)
    return ImportPublic(version=done.version, timeline=done.timeline, transitions=done.transitions)


@router.get("/nodes/{node_id}/renders", response_model=list[RenderSummary])
def list_node_renders(
    project_id: str,
    node_id: Annotated[str, Path(max_length=128)],
    user: CurrentUser,
    projects: ProjectServiceDep,
    session: SessionDep,
) -> list[RenderSummary]:
    """The node's final renders, newest first, each its own file: what a VSE Assembler shows after a reload."""
    project = projects.open(user, project_id).project
    return node_renders(session, project.id, node_id, projects.repo(project).root)


@router.post("/assemble", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
def assemble(project_id: str, body: AssembleRequest, user: CurrentUser, assembly: AssemblyDep) -> TaskPublic:
    return task_public(assembly.start_render(user, project_id, body.node_id))
