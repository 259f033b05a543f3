"""Who holds which role in a project: its owner, or a member row."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from server.db.tables import Project, ProjectMember, Role


def role_of(session: Session, user_id: int | None, project: Project) -> Role | None:
    member = None if project.owner_id == user_id else session.get(ProjectMember, (project.id, user_id))
    return role_from(project.owner_id, user_id, member.role if member else None)


def role_from(owner_id: int | None, user_id: int | None, member_role: Role | None) -> Role | None:
    """The role of `user_id` in a project read with its owner and the user's member row (None: no row)."""
    return Role.OWNER if owner_id == user_id else member_role


def current_roles(session: Session, pairs: Iterable[tuple[str, int]]) -> dict[tuple[str, int], Role]:
    """The role of each (project id, user id) now, in two queries however many; no access: left out.
    Only ids are read: a project's graph can be megabytes."""
    wanted = set(pairs)
    project_ids = list({project_id for project_id, _ in wanted})
    owners = dict(session.exec(select(Project.id, Project.owner_id).where(col(Project.id).in_(project_ids))).all())
    members = {
        (member.project_id, member.user_id): member.role
        for member in session.exec(select(ProjectMember).where(col(ProjectMember.project_id).in_(project_ids)))
    }
    roles: dict[tuple[str, int], Role] = {}
    for project_id, user_id in wanted:
        role = role_from(owners.get(project_id), user_id, members.get((project_id, user_id)))
        if role is not None:
            roles[(project_id, user_id)] = Role(role)
    return roles
