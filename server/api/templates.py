"""Importing a ComfyUI workflow as a pipeline template: inspect a dropped file, then save the chosen mapping."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from schemas.models.node_type import NodeType
from server.api.deps import CurrentUser, ProjectServiceDep, SettingsDep
from server.graph.catalogue import node_type_from_template
from server.templates.building import TemplateDraft
from server.templates.inspection import WorkflowInspection
from server.templates.service import TemplateService, TemplateTarget

router = APIRouter(prefix="/api/v1/projects", tags=["templates"])
RAW_WORKFLOW: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The dropped file as it is: a workflow in ComfyUI's API format, or a PNG ComfyUI saved.",
        "content": {
            "application/json": {"schema": {"type": "object"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


def get_templates(settings: SettingsDep, projects: ProjectServiceDep) -> TemplateService:
    return TemplateService(settings, projects)


TemplateServiceDep = Annotated[TemplateService, Depends(get_templates)]


class TemplateCreate(TemplateDraft):
    target: Annotated[
        TemplateTarget,
        Field(description="project: committed to the project (editors); library: the workspace Library (admins)."),
    ] = TemplateTarget.PROJECT


class TemplatePublic(BaseModel):
    id: str
    target: TemplateTarget
    path: str
    commit: str | None
    node_type: NodeType


@router.post(
    "/{project_id}/templates/inspect",
    response_model=WorkflowInspection,
    openapi_extra=RAW_WORKFLOW,
    responses={422: {"description": "Not an API-format workflow, nor a PNG that carries one."}},
)
async def inspect_workflow_file(
    project_id: str,
    request: Request,
    user: CurrentUser,
    templates: TemplateServiceDep,
    filename: Annotated[str, Query(max_length=255, description="The file's name (suggests the id).")] = "workflow",
) -> WorkflowInspection:
    data = await request.body()  # bounded by the body-size middleware (STUDIO_MAX_REQUEST_MB)
    return await run_in_threadpool(templates.inspect, user, project_id, data, filename)


@router.post(
    "/{project_id}/templates",
    response_model=TemplatePublic,
    response_model_exclude_none=True,
    status_code=status.HTTP_201_CREATED,
    responses={409: {"description": "A template with that id exists."}, 403: {"description": "library: admins only"}},
)
def create_template(
    project_id: str, body: TemplateCreate, user: CurrentUser, templates: TemplateServiceDep
) -> TemplatePublic:
    draft = TemplateDraft.model_validate(body.model_dump(exclude={"target"}))
    saved = templates.save(user, project_id, draft, body.target)
    return TemplatePublic(
        id=saved.template.id,
        target=saved.target,
        path=saved.path,
        commit=saved.commit,
        node_type=node_type_from_template(saved.template),
    )
