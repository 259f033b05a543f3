"""GET /api/v1/projects/{id}/files/{path}: a project's working-tree files, with HTTP Range.

Project files are written by anyone with edit access (uploads, pushes), so the browser must never run
them as this origin's pages: media plays inline with its own type, anything else (HTML, SVG, JSON…) is
a download, and every answer forbids sniffing and sandboxes what it holds.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from server.api.deps import CurrentUser, ProjectServiceDep
from server.media.types import media_type
from server.projects.paths import existing_file

router = APIRouter(prefix="/api/v1/projects", tags=["files"])

SAFE_HEADERS = {
    "Cache-Control": "private, max-age=0, must-revalidate",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


@router.get("/{project_id}/files/{path:path}", response_class=FileResponse)
def get_file(project_id: str, path: str, user: CurrentUser, projects: ProjectServiceDep) -> FileResponse:
    project = projects.open(user, project_id).project
    file = existing_file(projects.repo(project).root, path)
    media = media_type(file.suffix.lstrip("."))
    # FileResponse answers Range requests with 206 / 416 and sets Accept-Ranges.
    return FileResponse(
        file,
        media_type=media.mime if media else None,
        filename=file.name,
        content_disposition_type="inline" if media else "attachment",
        headers=SAFE_HEADERS,
    )
