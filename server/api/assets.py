"""/api/v1/projects/{id}/assets: the Asset Manager's characters, styles and props, and their reference images; and
/api/v1/projects/{id}/library/assets: the workspace Library's assets, as that project imports them."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from server.api.deps import CurrentUser, ProjectServiceDep, SettingsDep, TaskServiceDep
from server.api.files import SAFE_HEADERS
from server.api.models import (
    AssetCreate,
    AssetPromoted,
    AssetPublic,
    AssetUpdate,
    LibraryAssetPublic,
    TrainingBaseModelPublic,
    TrainingCreate,
)
from server.api.tasks import TaskPublic, task_public
from server.assets.documents import StoredAsset
from server.assets.library import picture_of
from server.assets.service import AssetChanges, AssetService
from server.errors import InvalidInputError
from server.projects.service import Access
from server.projects.upload_names import parse_upload_name
from server.projects.uploads import UploadSpool
from server.training.service import TrainingRequest, TrainingService

router = APIRouter(prefix="/api/v1/projects", tags=["assets"])
# The image upload gets the upload size limit (the body-size middleware matches it in full).
IMAGES_PATH = re.compile(r"/api/v1/projects/[^/]+/assets/[^/]+/images")
MAX_IMAGES_PER_REQUEST = 100
CHUNK_BYTES = 1024 * 1024
MULTIPART_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One or more image files, each as a `files` part of a multipart form.",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["files"],
                    "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                }
            }
        },
    }
}


def get_asset_service(projects: ProjectServiceDep) -> AssetService:
    return AssetService(projects)


AssetServiceDep = Annotated[AssetService, Depends(get_asset_service)]


def _public(stored: StoredAsset) -> AssetPublic:
    return AssetPublic(asset=stored.asset, folder=stored.folder)


@router.get("/{project_id}/assets", response_model=list[AssetPublic])
def list_assets(project_id: str, user: CurrentUser, assets: AssetServiceDep) -> list[AssetPublic]:
    """The project's characters, styles and props, by kind then name."""
    return [_public(stored) for stored in assets.all(user, project_id)]


@router.post("/{project_id}/assets", response_model=AssetPublic, status_code=status.HTTP_201_CREATED)
def create_asset(project_id: str, body: AssetCreate, user: CurrentUser, assets: AssetServiceDep) -> AssetPublic:
    return _public(assets.create(user, project_id, body.kind, body.name, body.trigger_word, body.description))


@router.get("/{project_id}/assets/{asset_id}", response_model=AssetPublic)
def get_asset(project_id: str, asset_id: str, user: CurrentUser, assets: AssetServiceDep) -> AssetPublic:
    return _public(assets.get(user, project_id, asset_id))


@router.put("/{project_id}/assets/{asset_id}", response_model=AssetPublic)
def update_asset(
    project_id: str, asset_id: str, body: AssetUpdate, user: CurrentUser, assets: AssetServiceDep
) -> AssetPublic:
    changes = AssetChanges(body.name, body.trigger_word, body.description, body.captions)
    return _public(assets.update(user, project_id, asset_id, changes))


@router.delete("/{project_id}/assets/{asset_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_asset(project_id: str, asset_id: str, user: CurrentUser, assets: AssetServiceDep) -> Response:
    assets.delete(user, project_id, asset_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{project_id}/assets/{asset_id}/images",
    response_model=AssetPublic,
    openapi_extra=MULTIPART_BODY,
    responses={413: {"description": "Larger than STUDIO_UPLOAD_MAX_BYTES."}, 415: {"description": "Not an image."}},
)
async def add_reference_images(
    project_id: str,
    asset_id: str,
    request: Request,
    user: CurrentUser,
    projects: ProjectServiceDep,
    assets: AssetServiceDep,
    settings: SettingsDep,
) -> AssetPublic:
    """Reference images, many at once; each is decoded and checked like an upload, and all are committed in one
    commit (or none, when one is refused)."""
    project = (await run_in_threadpool(projects.open, user, project_id, Access.WRITE)).project
    root = projects.repo(project).root
    spools: list[UploadSpool] = []
    try:
        async with request.form(max_files=MAX_IMAGES_PER_REQUEST) as form:
            for part in form.getlist("files"):
                if not isinstance(part, UploadFile):
                    raise InvalidInputError("Each 'files' part must be a file, not a text field.", field="files")
                name = parse_upload_name(part.filename or "")
                spool = await run_in_threadpool(UploadSpool, root, name, settings.upload_max_bytes)
                spools.append(spool)
                while chunk := await part.read(CHUNK_BYTES):
                    await run_in_threadpool(spool.write, chunk)
        stored = await run_in_threadpool(assets.add_images, user, project_id, asset_id, spools)
    finally:
        for spool in spools:
            await run_in_threadpool(spool.discard)
    return _public(stored)


@router.get("/{project_id}/training/base-models", response_model=list[TrainingBaseModelPublic])
def list_training_base_models(
    project_id: str, user: CurrentUser, projects: ProjectServiceDep, tasks: TaskServiceDep
) -> list[TrainingBaseModelPublic]:
    """The base models this project's assets can be trained on, the default first, each with whether its training
    pipeline can run here now (its weights in the model store, its image built) and the command that fixes what
    is missing."""
    return [
        TrainingBaseModelPublic(
            base_model=choice.base_model,
            name=choice.name,
            pipeline_id=choice.pipeline_id,
            is_default=choice.is_default,
            availability=choice.availability,
        )
        for choice in TrainingService(projects, tasks).base_models(user, project_id)
    ]


@router.post("/{project_id}/assets/{asset_id}/train", response_model=TaskPublic, status_code=status.HTTP_202_ACCEPTED)
def train_asset(
    project_id: str,
    asset_id: str,
    body: TrainingCreate,
    user: CurrentUser,
    projects: ProjectServiceDep,
    tasks: TaskServiceDep,
) -> TaskPublic:
    """Train the asset's next LoRA version (tasks.assets.train_lora); refused with what is missing when it cannot
    be trained yet. Follow it like any task (its events name the asset's uuid as their node)."""
    request = TrainingRequest(**body.model_dump())
    return task_public(TrainingService(projects, tasks).start(user, project_id, asset_id, request))


@router.post("/{project_id}/assets/{asset_id}/promote", response_model=AssetPromoted)
def promote_asset(project_id: str, asset_id: str, user: CurrentUser, assets: AssetServiceDep) -> AssetPromoted:
    """Copy the asset, with its images and trained versions, into the workspace Library for other projects."""
    target = assets.promote(user, project_id, asset_id)
    return AssetPromoted(library_path=str(target.relative_to(assets.projects.settings.library_dir)))


@router.delete("/{project_id}/assets/{asset_id}/images", response_model=AssetPublic)
def remove_reference_image(
    project_id: str,
    asset_id: str,
    file: Annotated[str, Query(description="The image as `asset.reference_images[].file` names it.")],
    user: CurrentUser,
    assets: AssetServiceDep,
) -> AssetPublic:
    return _public(assets.remove_image(user, project_id, asset_id, file))


@router.get("/{project_id}/library/assets", response_model=list[LibraryAssetPublic])
def list_library_assets(project_id: str, user: CurrentUser, assets: AssetServiceDep) -> list[LibraryAssetPublic]:
    """The assets promoted to the workspace Library, which this project may import."""
    return [
        LibraryAssetPublic(
            asset=stored.asset,
            library_path=stored.folder,
            thumbnail_url=f"/api/v1/projects/{project_id}/library/assets/{stored.asset.uuid}/thumbnail"
            if picture_of(stored.asset)
            else None,
        )
        for stored in assets.library(user, project_id)
    ]


@router.get(
    "/{project_id}/library/assets/{asset_id}/thumbnail",
    response_class=FileResponse,
    responses={200: {"content": {"image/png": {}}, "description": "A PNG, 320 px wide."}},
)
def get_library_asset_thumbnail(
    project_id: str, asset_id: str, user: CurrentUser, assets: AssetServiceDep
) -> FileResponse:
    """A Library asset's thumbnail (its newest sample, else its first reference image, scaled down), for a
    project its user may read."""
    return FileResponse(
        assets.library_thumbnail(user, project_id, asset_id), media_type="image/png", headers=SAFE_HEADERS
    )


@router.post(
    "/{project_id}/library/assets/{asset_id}/import", response_model=AssetPublic, status_code=status.HTTP_201_CREATED
)
def import_library_asset(project_id: str, asset_id: str, user: CurrentUser, assets: AssetServiceDep) -> AssetPublic:
    """Copy a Library asset (asset.json, reference images, trained versions) into the project as one commit; its
    name and trigger word must be free in the project (409 with a sentence when they are not)."""
    return _public(assets.import_from_library(user, project_id, asset_id))
