"""The node palette, the installed pipelines, and validating a project's live graph."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from schemas.models.graph_validation import ValidationReport
from schemas.models.node_type import NodeType
from schemas.models.pipeline_manifest import PipelineManifest
from server.api.deps import CurrentUser, ProjectServiceDep, SettingsDep
from server.graph.catalogue import Catalogue, load_catalogue
from server.graph.validation import validate_graph

router = APIRouter(prefix="/api/v1", tags=["graph"])


def get_catalogue(settings: SettingsDep) -> Catalogue:
    # Read per request: a pipeline folder added while the studio runs shows up without a restart.
    return load_catalogue(settings.pipeline_search_dirs)


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


class ManifestProblemPublic(BaseModel):
    path: str
    message: str


class PipelineListing(BaseModel):
    pipelines: list[PipelineManifest]
    problems: list[ManifestProblemPublic]


@router.get("/node-types", response_model=list[NodeType], response_model_exclude_none=True)
def list_node_types(_user: CurrentUser, catalogue: CatalogueDep) -> list[NodeType]:
    return catalogue.node_types()


@router.get("/pipelines", response_model=PipelineListing, response_model_exclude_none=True)
def list_pipelines(user: CurrentUser, catalogue: CatalogueDep) -> PipelineListing:
    # Broken manifests are the operator's to fix, and their messages name server paths: admins only.
    problems = catalogue.problems if user.is_admin else []
    return PipelineListing(
        pipelines=list(catalogue.pipelines.values()),
        problems=[ManifestProblemPublic(path=p.path, message=p.message) for p in problems],
    )


@router.post("/projects/{project_id}/validate", response_model=ValidationReport)
def validate_project_graph(
    project_id: str, user: CurrentUser, projects: ProjectServiceDep, catalogue: CatalogueDep
) -> ValidationReport:
    project = projects.open(user, project_id).project
    try:
        document: Any = json.loads(project.graph)
    except ValueError:
        document = None  # reported as a graph that breaks its schema
    return validate_graph(document, catalogue)
