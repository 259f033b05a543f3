"""Project operations with their permission checks: list, create, open, save, share."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Executable, Integer, Select, String, and_, bindparam, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, or_, select

from schemas.models.canvas_graph import CanvasGraph
from schemas.models.graph_ops import GraphOp
from schemas.models.project_manifest import ProjectManifest
from schemas.models.ws_events import ServerFullSync
from server.auth.sessions import AccessChanges, check_claims
from server.auth.tokens import AccessClaims
from server.auth.users import get_user
from server.config import Settings
from server.db.tables import Project, ProjectMember, Role, User, utcnow
from server.errors import (
    DuplicateNameError,
    InvalidInputError,
    PermissionDeniedError,
    ProjectNotFoundError,
    StudioError,
    VersionConflictError,
)
from server.events import EventSink
from server.limits.quotas import hold_quotas_of, require_project_room
from server.projects.canvas import read_canvas, write_canvas
from server.projects.git import GitRepo, project_repo, studio_author
from server.projects.live_graph import LIVE_GRAPHS, ProjectHead, drop_log, log_version
from server.projects.manifest import MANIFEST_FILE, read_manifest, write_manifest
from server.projects.naming import slug_base, title_key, validate_title
from server.projects.roles import role_from, role_of
from server.projects.scaffold import scaffold_project
from server.system.git_lfs import GitLfsStatus


def graph_json(graph: dict[str, Any]) -> str:
    try:
        return json.dumps(graph, allow_nan=False)
    except ValueError as exc:
        raise InvalidInputError(
            "The graph contains NaN or Infinity, which JSON cannot hold; send finite numbers.", field="graph"
        ) from exc


class Access(IntEnum):
    READ = 1
    WRITE = 2
    ADMIN = 3


ROLE_ACCESS = {Role.VIEWER: Access.READ, Role.EDITOR: Access.WRITE, Role.OWNER: Access.ADMIN}


def require_access(project_id: str, title: str, role: Role | None, need: Access) -> Role:
    """`role` if it grants `need`. No role looks the same as no such project: not found."""
    if role is None:
        raise ProjectNotFoundError(project_id)
    if ROLE_ACCESS[role] < need:
        raise PermissionDeniedError(
            f"You are a {role.value} of '{title}' and cannot change it; ask its owner for editor access.",
        )
    return role


def _edit_head_statement() -> Executable:
    """The account's token generation with the project's id, title, owner, versions and the account's member
    role: one row while the account exists, its project columns None when the project does not."""
    users, projects, members = (User.__table__, Project.__table__, ProjectMember.__table__)  # type: ignore[attr-defined]
    user_id, project_id = bindparam("user_id", type_=Integer), bindparam("project_id", type_=String)
    head = (projects.c.id, projects.c.title, projects.c.owner_id, projects.c.version, projects.c.graph_version)
    return (
        Select(users.c.token_generation, *head, members.c.role)
        .select_from(users)
        .outerjoin(projects, projects.c.id == project_id)
        .outerjoin(members, and_(members.c.project_id == project_id, members.c.user_id == user_id))
        .where(users.c.id == user_id)
    )


# Built once: building it per edit would cost more than running it.
_EDIT_HEAD = _edit_head_statement()


@dataclass(frozen=True)
class ProjectChanges:
    """A PUT: any subset of graph and manifest fields, applied against `version`."""

    version: int
    graph: CanvasGraph | None = None
    title: str | None = None
    description: str | None = None
    settings: dict[str, str] | None = None


@dataclass(frozen=True)
class GraphEdit:
    """An accepted live edit: the new version and the ops as applied."""

    project_id: str
    version: int
    ops: list[GraphOp]


@dataclass(frozen=True)
class ProjectView:
    project: Project
    role: Role


class ProjectService:
    def __init__(
        self, session: Session, settings: Settings, git_lfs: GitLfsStatus, events: EventSink, access: AccessChanges
    ) -> None:
        self.session = session
        self.settings = settings
        self.git_lfs = git_lfs
        self.events = events
        self.access = access

    # -- reading -------------------------------------------------------------------------------------

    def repo(self, project: Project) -> GitRepo:
        return project_repo(self.settings, project.slug)

    def list_for(self, user: User, *, offset: int = 0, limit: int | None = None) -> list[ProjectView]:
        """The projects `user` can open, most recently changed first (ties by id, so pages are stable)."""
        member_roles = {
            m.project_id: m.role
            for m in self.session.exec(select(ProjectMember).where(ProjectMember.user_id == user.id))
        }
        rows = self.session.exec(
            select(Project)
            .where(or_(Project.owner_id == user.id, col(Project.id).in_(list(member_roles))))
            .order_by(col(Project.updated_at).desc(), col(Project.id))
            .offset(offset)
            .limit(limit)
        )
        return [ProjectView(p, Role.OWNER if p.owner_id == user.id else member_roles[p.id]) for p in rows]

    def open(self, user: User, project_id: str, need: Access = Access.READ) -> ProjectView:
        """The project if `user` may `need` it. Unknown and foreign projects look the same: not found."""
        self.git_lfs.require()
        # The stored graph (up to MBs) is read only when the live graph is rebuilt from it, not on every open.
        project = self.session.get(Project, project_id, options=[defer(cast(QueryableAttribute[str], Project.graph))])
        if project is None:
            raise ProjectNotFoundError(project_id)
        return ProjectView(
            project, require_access(project_id, project.title, role_of(self.session, user.id, project), need)
        )

    def manifest(self, project: Project) -> ProjectManifest:
        return read_manifest(self.repo(project).root)

    # -- creating ------------------------------------------------------------------------------------

    def create(
        self, user: User, *, title: str, description: str, aspect_ratio: str, quality: str, hardware_policy: str
    ) -> Project:
        self.git_lfs.require()
        title = validate_title(title)
        require_project_room(self.session, user, self.settings.max_projects_per_user)
        key = title_key(title)
        if self.session.exec(select(Project.id).where(Project.owner_id == user.id, Project.title_key == key)).first():
            raise DuplicateNameError(f"You already have a project named '{title}'; choose another name.", field="name")
        self.settings.projects_dir.mkdir(parents=True, exist_ok=True)
        slug = self._free_slug(slug_base(title))
        target = self.settings.projects_dir / slug
        assert user.id is not None
        manifest = scaffold_project(
            template_dir=self.settings.template_dir,
            target=target,
            title=title,
            description=description,
            settings={"aspect_ratio": aspect_ratio, "quality": quality, "hardware_policy": hardware_policy},
            author=studio_author(user.username),
            git_timeout_s=self.settings.git_timeout_seconds,
        )
        project = Project(
            id=manifest.uuid,
            slug=slug,
            title=title,
            title_key=key,
            description=description,
            aspect_ratio=aspect_ratio,
            quality=quality,
            hardware_policy=hardware_policy,
            owner_id=user.id,
            graph=json.dumps(read_canvas(target, manifest.canvas_path)),
            graph_version=manifest.version,
            version=manifest.version,
        )
        try:
            # Checked again, held, right before the row: concurrent creations passed the early check together.
            hold_quotas_of(self.session, user)
            require_project_room(self.session, user, self.settings.max_projects_per_user)
            self.session.add(project)
            self.session.commit()
        except IntegrityError as exc:
            # A concurrent create took the name or folder first: remove ours, leave no trace.
            self.session.rollback()
            shutil.rmtree(target, ignore_errors=True)
            raise DuplicateNameError(
                f"A project named '{title}' was created at the same moment; choose another name.",
                field="name",
            ) from exc
        except BaseException:
            self.session.rollback()
            shutil.rmtree(target, ignore_errors=True)
            raise
        return project

    def _free_slug(self, base: str) -> str:
        taken = set(self.session.exec(select(Project.slug).where(col(Project.slug).startswith(base))))
        candidate, n = base, 1
        while candidate in taken or (self.settings.projects_dir / candidate).exists():
            n += 1
            candidate = f"{base}-{n}"
        return candidate

    # -- saving --------------------------------------------------------------------------------------

    def save(self, user: User, project_id: str, changes: ProjectChanges) -> Project:
        """A REST save: any of graph and manifest fields, checkpointed into the repository at once."""
        project = self.open(user, project_id, Access.WRITE).project
        values: dict[str, Any] = {}
        if changes.graph is not None:
            graph_data = changes.graph.model_dump(mode="json", exclude_unset=True)
            values["graph"] = graph_json(graph_data)
            values["graph_version"] = changes.version + 1
            self.settings.graph_limits.check(graph_data, len(values["graph"].encode()))
        if changes.title is not None:
            values["title"] = validate_title(changes.title)
            values["title_key"] = title_key(values["title"])
        if changes.description is not None:
            values["description"] = changes.description
        if changes.settings:
            values.update(changes.settings)
        self._compare_and_set(project, changes.version, values)
        if changes.graph is not None:
            self.checkpoint_canvas(project, user.username, "canvas: save")
        if changes.title is not None or changes.description is not None or changes.settings:
            self._write_manifest(project, user)
        # Every open canvas takes the new state (and version) as a whole.
        graph = changes.graph if changes.graph is not None else CanvasGraph.model_validate(self.live_graph(project))
        self.events.publish(project.id, ServerFullSync(graph=graph, version=project.version))
        return project

    def apply_ops(self, user: User, project_id: str, version: int, ops: list[GraphOp]) -> GraphEdit:
        """A live edit: apply `ops` to the graph at `version`; durable when this returns."""
        return self._apply_ops(self.open(user, project_id, Access.WRITE).project, version, ops)

    def apply_socket_ops(self, claims: AccessClaims, project_id: str, version: int, ops: list[GraphOp]) -> GraphEdit:
        """A socket's live edit, the hot path of editing: the token, the role and the project's version are read
        in one query, not by loading the account and the project (same checks as signed_in_user and open)."""
        self.git_lfs.require()
        head = (
            self.session.connection().execute(_EDIT_HEAD, {"user_id": claims.user_id, "project_id": project_id}).first()
        )
        check_claims(claims, None if head is None else head.token_generation)
        assert head is not None
        if head.id is None:
            raise ProjectNotFoundError(project_id)
        require_access(project_id, head.title, role_from(head.owner_id, claims.user_id, head.role), Access.WRITE)
        return self._apply_ops(head, version, ops)

    def _apply_ops(self, project: ProjectHead, version: int, ops: list[GraphOp]) -> GraphEdit:
        limits = self.settings.graph_limits
        limits.check_ops(ops)
        if project.version != version:
            raise VersionConflictError(version, project.version)
        edit = LIVE_GRAPHS.edit(self.session, project, version, ops, limits)
        return GraphEdit(project.id, edit.version, edit.ops)

    def live_graph(self, project: Project) -> dict[str, Any]:
        """The project's live graph (snapshot plus the edits since), a copy the caller may change."""
        return LIVE_GRAPHS.read(self.session, project)

    def _compare_and_set(self, project: Project, version: int, values: dict[str, Any]) -> None:
        """Write `values` and bump the version only if it is still `version`: of concurrent writers on one
        version exactly one succeeds, the others get VersionConflictError with the current version."""
        result = self.session.execute(
            update(Project)
            .where(col(Project.id) == project.id, col(Project.version) == version)
            .values(**values, version=version + 1, updated_at=utcnow())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            self.session.rollback()
            current = self.session.exec(select(Project.version).where(Project.id == project.id)).one()
            raise VersionConflictError(version, current)
        if "graph" in values:
            drop_log(self.session, project.id)  # the whole graph was replaced: the edits before it are in it
        else:
            log_version(self.session, project.id, version + 1)
        try:
            self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            raise DuplicateNameError(
                f"You already have a project named '{values.get('title')}'; choose another name.",
                field="name",
            ) from exc
        self.session.refresh(project)

    def checkpoint_canvas(self, project: Project, username: str, message: str) -> str | None:
        """Write the live graph to the canvas file and commit only that file; None when the file already
        holds this graph (however it is formatted)."""
        repo = self.repo(project)
        live = self.live_graph(project)
        # The checkpoint is also when the edit log is folded into the snapshot, away from the edit path.
        LIVE_GRAPHS.fold(self.session, project)
        with repo.lock():
            canvas_path = read_manifest(repo.root).canvas_path
            if self._canvas_file_holds(repo.root, canvas_path, live):
                return None
            write_canvas(repo.root, canvas_path, live)
            return repo.commit([canvas_path], message, studio_author(username))

    @staticmethod
    def _canvas_file_holds(root: Path, canvas_path: str, graph: dict[str, Any]) -> bool:
        try:
            return read_canvas(root, canvas_path) == graph
        except (StudioError, ValueError):  # missing or unreadable (pydantic's errors are ValueErrors)
            return False

    def _write_manifest(self, project: Project, user: User) -> None:
        repo = self.repo(project)
        with repo.lock():
            manifest = read_manifest(repo.root)
            updated = {
                **manifest.model_dump(mode="json"),
                "title": project.title,
                "description": project.description,
                "project_settings": {
                    "aspect_ratio": project.aspect_ratio,
                    "quality": project.quality,
                    "hardware_policy": project.hardware_policy,
                },
            }
            write_manifest(repo.root, ProjectManifest.model_validate(updated))
            repo.commit([MANIFEST_FILE], "project: update settings", studio_author(user.username))

    # -- sharing -------------------------------------------------------------------------------------

    def members(
        self, user: User, project_id: str, *, offset: int = 0, limit: int | None = None
    ) -> list[tuple[str, Role]]:
        """Everyone with access: the owner first, then the members by username."""
        project = self.open(user, project_id).project
        owner = self.session.get(User, project.owner_id)
        everyone = [(owner.username if owner else "(deleted user)", Role.OWNER)] if offset == 0 else []
        rows = self.session.exec(
            select(User.username, ProjectMember.role)
            .join(ProjectMember, col(ProjectMember.user_id) == col(User.id))
            .where(ProjectMember.project_id == project.id)
            .order_by(User.username)
            .offset(max(offset - 1, 0))  # the owner holds place 0
            .limit(None if limit is None else limit - len(everyone))
        )
        return [*everyone, *((n, Role(r)) for n, r in rows)]

    def set_member(self, owner: User, project_id: str, username: str, role: Role) -> ProjectMember:
        project = self.open(owner, project_id, Access.ADMIN).project
        if role is Role.OWNER:
            raise InvalidInputError(
                "A project has exactly one owner; give collaborators 'editor' or 'viewer'.", field="role"
            )
        member_user = get_user(self.session, username)
        if member_user.id == project.owner_id:
            raise InvalidInputError(f"'{username}' already owns this project.", field="username")
        assert member_user.id is not None
        member = self.session.get(ProjectMember, (project.id, member_user.id)) or ProjectMember(
            project_id=project.id, user_id=member_user.id, role=role
        )
        member.role = role
        self.session.add(member)
        self.session.commit()
        self.access.changed(member_user.id, project.id)  # a lowered role reaches the member's open sockets
        return member

    def remove_member(self, owner: User, project_id: str, username: str) -> None:
        project = self.open(owner, project_id, Access.ADMIN).project
        member_user = get_user(self.session, username)
        member = self.session.get(ProjectMember, (project.id, member_user.id))
        if member is None:
            raise InvalidInputError(f"'{username}' is not a collaborator on this project.", field="username")
        self.session.delete(member)
        self.session.commit()
        assert member_user.id is not None
        self.access.changed(member_user.id, project.id)  # the member's open sockets close
