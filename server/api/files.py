"""GET /api/v1/projects/{id}/files/{path}: a project's working-tree files, with HTTP Range."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from server.api.deps import CurrentUser, ProjectServiceDep
from server.projects.files import resolve_project_file

router = APIRouter(prefix="/api/v1/projects", tags=["files"])


@router.get(
    "/{project_id}/files/{path:path}",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "The file's bytes."},
        206: {"content": {"application/octet-stream": {}}, "description": "The range asked for."},
    },
)
def get_file(project_id: str, path: str, user: CurrentUser, projects: ProjectServiceDep) -> FileResponse:
    project = projects.open(user, project_id).project
    file = resolve_project_file(projects.repo(project).root, path)
    # FileResponse answers Range requests with 206 / 416 and sets Accept-Ranges.
    return FileResponse(
        file,
        filename=file.name,
        content_disposition_type="inline",
        headers={"Cache-Control": "private, max-age=0, must-revalidate"},
    )
