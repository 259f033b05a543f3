"""/api/v1/projects: list, create, open, save, collaborators."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from server.api.deps import CurrentUser, ProjectServiceDep
from server.api.models import (
    MemberPublic,
    MemberSet,
    ProjectCreate,
    ProjectPublic,
    ProjectSaved,
    ProjectSummary,
    ProjectUpdate,
)
from server.api.pagination import PageDep, paged
from server.db.tables import Project, Role
from server.projects.service import ProjectChanges

router = APIRouter(prefix="/api/v1/projects", tags=["projects"])


def _summary(project: Project, role: Role) -> ProjectSummary:
    return ProjectSummary(
        id=project.id,
        name=project.title,
        slug=project.slug,
        description=project.description,
        aspect_ratio=project.aspect_ratio,
        quality=project.quality,
        hardware_policy=project.hardware_policy,
        role=role,
        version=project.version,
        updated_at=project.updated_at,
    )


@router.get("", response_model=list[ProjectSummary])
def list_projects(
    user: CurrentUser, projects: ProjectServiceDep, page: PageDep, request: Request, response: Response
) -> list[ProjectSummary]:
    """The projects you own or collaborate on, most recently changed first."""
    views = projects.list_for(user, offset=page.offset, limit=page.probe)
    return [_summary(v.project, v.role) for v in paged(views, page, request, response)]


@router.post("", response_model=ProjectSummary, status_code=status.HTTP_201_CREATED)
def create_project(body: ProjectCreate, user: CurrentUser, projects: ProjectServiceDep) -> ProjectSummary:
    project = projects.create(
        user,
        title=body.name,
        description=body.description,
        aspect_ratio=body.aspect_ratio,
        quality=body.quality.value,
        hardware_policy=body.hardware_policy.value,
    )
    return _summary(project, Role.OWNER)


@router.get("/{project_id}", response_model=ProjectPublic)
def get_project(project_id: str, user: CurrentUser, projects: ProjectServiceDep) -> ProjectPublic:
    view = projects.open(user, project_id)
    manifest = projects.manifest(view.project)
    return ProjectPublic(
        **_summary(view.project, view.role).model_dump(),
        canvas_path=manifest.canvas_path,
        graph=projects.live_graph(view.project),
    )


@router.put("/{project_id}", response_model=ProjectSaved)
def save_project(project_id: str, body: ProjectUpdate, user: CurrentUser, projects: ProjectServiceDep) -> ProjectSaved:
    settings = body.project_settings.model_dump(mode="json", exclude_none=True) if body.project_settings else None
    project = projects.save(
        user,
        project_id,
        ProjectChanges(
            version=body.version,
            graph=body.graph,
            title=body.name,
            description=body.description,
            settings=settings,
        ),
    )
    return ProjectSaved(id=project.id, version=project.version)


@router.get("/{project_id}/members", response_model=list[MemberPublic])
def list_members(
    project_id: str, user: CurrentUser, projects: ProjectServiceDep, page: PageDep, request: Request, response: Response
) -> list[MemberPublic]:
    """Everyone with access: the owner first, then the collaborators by username."""
    members = projects.members(user, project_id, offset=page.offset, limit=page.probe)
    return [MemberPublic(username=name, role=role) for name, role in paged(members, page, request, response)]


@router.put("/{project_id}/members", response_model=MemberPublic)
def set_member(project_id: str, body: MemberSet, user: CurrentUser, projects: ProjectServiceDep) -> MemberPublic:
    member = projects.set_member(user, project_id, body.username, body.role)
    return MemberPublic(username=body.username, role=member.role)


@router.delete("/{project_id}/members/{username}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(project_id: str, username: str, user: CurrentUser, projects: ProjectServiceDep) -> None:
    projects.remove_member(user, project_id, username)
