"""POST /api/v1/projects/{id}/uploads: a user's own media file, streamed into the project's Source_Media."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from starlette.concurrency import run_in_threadpool

from server.api.deps import CurrentUser, ProjectServiceDep, SettingsDep
from server.api.models import UploadPublic
from server.projects.files import files_url
from server.projects.git import studio_author
from server.projects.service import Access
from server.projects.upload_names import allowed_extensions, parse_upload_name
from server.projects.uploads import UploadSpool, store_upload

router = APIRouter(prefix="/api/v1/projects", tags=["files"])
# The paths the body-size middleware gives the upload limit instead of the general one.
UPLOAD_PATH = re.compile(r"/api/v1/projects/[^/]+/uploads")
# Chunks are gathered to about this size before a worker thread writes them: the loop never waits on disk.
WRITE_BATCH_BYTES = 1024 * 1024
RAW_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The file's bytes, as they are (no multipart).",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
    }
}


@router.post(
    "/{project_id}/uploads",
    response_model=UploadPublic,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=RAW_BODY,
    responses={
        413: {"description": "Larger than STUDIO_UPLOAD_MAX_BYTES."},
        415: {"description": f"Not {allowed_extensions()}."},
        422: {"description": "A filename that names no file, or content that does not decode as its kind."},
    },
)
async def upload_source_media(
    project_id: str,
    filename: Annotated[str, Query(description="The file's own name; its extension decides the kind.")],
    request: Request,
    user: CurrentUser,
    projects: ProjectServiceDep,
    settings: SettingsDep,
) -> UploadPublic:
    project = (await run_in_threadpool(projects.open, user, project_id, Access.WRITE)).project
    name = parse_upload_name(filename)
    repo = projects.repo(project)
    spool = await run_in_threadpool(UploadSpool, repo.root, name, settings.upload_max_bytes)
    try:
        batch = bytearray()
        async for chunk in request.stream():
            batch += chunk
            if len(batch) >= WRITE_BATCH_BYTES:
                await run_in_threadpool(spool.write, bytes(batch))
                batch.clear()
        await run_in_threadpool(spool.write, bytes(batch))
        stored = await run_in_threadpool(store_upload, repo, spool, studio_author(user.username))
    finally:
        await run_in_threadpool(spool.discard)
    return UploadPublic(
        path=stored.path,
        url=files_url(project.id, stored.path),
        sha256=stored.sha256,
        size=stored.size,
        kind=stored.kind,
        socket_type=stored.socket_type,
    )
