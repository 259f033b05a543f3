"""The node palette, the installed pipelines, and validating a project's live graph."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from schemas.models.graph_validation import ValidationReport
from schemas.models.node_type import NodeType, PipelineAvailability
from schemas.models.pipeline_manifest import PipelineManifest
from schemas.models.pipeline_template import PipelineTemplate
from schemas.models.project_manifest import Quality
from server.api.deps import CurrentUser, ProjectServiceDep, SettingsDep
from server.assembly.conform import conform_issues
from server.graph.catalogue import Catalogue
from server.graph.context import project_catalogue
from server.graph.issues import report
from server.graph.live_checks import GRAPH_CHECKERS
from server.graph.quality import load_quality_map
from server.graph.readiness import weight_issues
from server.models.availability import pipeline_availability

router = APIRouter(prefix="/api/v1", tags=["graph"])


def get_catalogue(
    settings: SettingsDep,
    user: CurrentUser,
    projects: ProjectServiceDep,
    project_id: Annotated[
        str | None, Query(description="Include this project's own pipeline templates (you must be able to open it).")
    ] = None,
) -> Catalogue:
    # Read per request: a pipeline or template folder added while the studio runs shows up without a restart.
    repo_root = projects.repo(projects.open(user, project_id).project).root if project_id else None
    return project_catalogue(settings, repo_root)


CatalogueDep = Annotated[Catalogue, Depends(get_catalogue)]


class ManifestProblemPublic(BaseModel):
    path: str
    message: str


class PipelineListing(BaseModel):
    pipelines: list[PipelineManifest]
    templates: list[PipelineTemplate]
    problems: list[ManifestProblemPublic]
    availability: dict[str, PipelineAvailability]


@router.get("/node-types", response_model=list[NodeType], response_model_exclude_none=True)
def list_node_types(_user: CurrentUser, catalogue: CatalogueDep, settings: SettingsDep) -> list[NodeType]:
    availability = pipeline_availability(catalogue.pipelines, settings)
    return [
        node_type.model_copy(update={"availability": availability[node_type.pipeline_id]})
        if node_type.pipeline_id in availability
        else node_type
        for node_type in catalogue.node_types()
    ]


@router.get("/pipelines", response_model=PipelineListing, response_model_exclude_none=True)
def list_pipelines(user: CurrentUser, catalogue: CatalogueDep, settings: SettingsDep) -> PipelineListing:
    # Broken manifests are the operator's to fix, and their messages name server paths: admins only.
    problems = catalogue.problems if user.is_admin else []
    return PipelineListing(
        pipelines=list(catalogue.pipelines.values()),
        templates=[template.manifest for template in catalogue.templates.values()],
        problems=[ManifestProblemPublic(path=p.path, message=p.message) for p in problems],
        availability=pipeline_availability(catalogue.pipelines, settings),
    )


@router.post("/projects/{project_id}/validate", response_model=ValidationReport)
def validate_project_graph(
    project_id: str, user: CurrentUser, projects: ProjectServiceDep, settings: SettingsDep
) -> ValidationReport:
    project = projects.open(user, project_id).project
    catalogue = project_catalogue(settings, projects.repo(project).root)
    try:
        document: Any = projects.live_graph(project)
    except ValueError:
        document = None  # reported as a graph that breaks its schema
    checked = GRAPH_CHECKERS.for_project(project.id, catalogue).check(document)
    quality_map = load_quality_map(settings.quality_map_file)
    missing = weight_issues(checked.view, catalogue, quality_map, Quality(project.quality), settings.models_dir)
    conformed = conform_issues(document, projects.repo(project).root) if isinstance(document, dict) else []
    return report([*checked.issues, *missing, *conformed])
