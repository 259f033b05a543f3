"""SQLModel tables: users and their access tokens, projects with their members, live-edit log and LFS objects,
and tasks."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Enum, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def queue_position_now() -> int:
    """A new task's place in the queue: after every task queued before it (microseconds since the epoch)."""
    return time.time_ns() // 1000


class Role(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class TokenScope(StrEnum):
    """What an access token may do over git: read (clone, fetch, LFS download) or also write (push); worker: a
    stateless worker's token (`studio workers token create`), which may read and push the projects that have a
    queued or running task, and nothing else."""

    READ = "read"
    WRITE = "write"
    WORKER = "worker"


class TaskState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


def stored_as_string(enum: type[StrEnum]) -> Enum:
    """A column type keeping an enum's values (not its Python names) in a VARCHAR on every database.

    PostgreSQL gets no native enum type, so a new member needs no ALTER TYPE; the length follows the
    longest value, so a longer new member shows up as a schema change that needs a migration.
    """
    return Enum(enum, native_enum=False, values_callable=lambda members: [member.value for member in members])


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    is_admin: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    # Carried in every access token (JWT "gen"); bumping it (password change, sign out everywhere)
    # makes every token issued before refused.
    token_generation: int = Field(default=0, ge=0)


class AccessToken(SQLModel, table=True):
    """A personal access token for git over HTTP; only the sha256 of its secret is kept."""

    __tablename__ = "access_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    secret_hash: str = Field(max_length=64, unique=True, index=True)
    scope: TokenScope = Field(default=TokenScope.READ, sa_type=stored_as_string(TokenScope))
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_used_at: datetime | None = None


class Project(SQLModel, table=True):
    """Index row of one project repository plus its live graph (the durable truth is the repo)."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("owner_id", "title_key", name="uq_project_owner_title"),)

    id: str = Field(primary_key=True, max_length=36, description="The manifest uuid.")
    slug: str = Field(max_length=80, unique=True, index=True, description="Folder name under Projects/.")
    title: str = Field(max_length=100)
    title_key: str = Field(max_length=100, description="Case-folded title: one owner, one title.")
    description: str = Field(default="", sa_column=Column(Text, nullable=False))
    aspect_ratio: str = Field(max_length=16)
    quality: str = Field(max_length=16)
    hardware_policy: str = Field(default="fallback", max_length=16)
    owner_id: int = Field(foreign_key="users.id", index=True)
    graph: str = Field(
        sa_column=Column(Text, nullable=False),
        description="The live graph (JSON) as of `graph_version`; the op log holds the edits since.",
    )
    graph_version: int = Field(default=1, ge=1, description="The version `graph` holds.")
    version: int = Field(default=1, ge=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    # Who paused the project's task queue (a username), None while it runs: its queued tasks wait, none is lost.
    queue_paused_by: str | None = Field(default=None, max_length=64)


class GraphOpLog(SQLModel, table=True):
    """One accepted live edit: the ops that took the graph from `version - 1` to `version`. A live edit
    writes this small row instead of rewriting the whole graph; checkpoints fold the log into the snapshot."""

    __tablename__ = "graph_op_log"

    project_id: str = Field(foreign_key="projects.id", primary_key=True, max_length=36, ondelete="CASCADE")
    version: int = Field(primary_key=True)
    ops: str = Field(sa_column=Column(Text, nullable=False), description="The ops as applied (JSON list).")


class ProjectMember(SQLModel, table=True):
    """A collaborator on a project; the owner is Project.owner_id, not a member row."""

    __tablename__ = "project_members"

    project_id: str = Field(foreign_key="projects.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="users.id", primary_key=True)
    role: Role = Field(sa_type=stored_as_string(Role))


class LfsObjectLink(SQLModel, table=True):
    """An LFS object a project may serve. Objects are shared in the store (content-addressed), access is
    not: a link is written only when the object was uploaded to this project and verified, or when it is in
    the project's own repository (the server committed it, or a push to this project brought it)."""

    __tablename__ = "lfs_object_links"

    project_id: str = Field(foreign_key="projects.id", primary_key=True, max_length=36, ondelete="CASCADE")
    oid: str = Field(primary_key=True, max_length=64, description="sha256 of the object's content.")
    created_at: datetime = Field(default_factory=utcnow)


class Task(SQLModel, table=True):
    """One long job: what it is (`kind` and its `spec`), where it was sent, and how far it got. A task of no project
    (`project_id` None) is the studio's own (a model pull): administrators alone see it."""

    __tablename__ = "tasks"

    id: str = Field(primary_key=True, max_length=36)
    project_id: str | None = Field(default=None, foreign_key="projects.id", index=True, ondelete="CASCADE")
    node_id: str | None = Field(default=None, max_length=128)
    kind: str = Field(max_length=64, description="The job kind (server.jobs.kinds.JobKind), also its Celery task.")
    state: TaskState = Field(default=TaskState.QUEUED, sa_type=stored_as_string(TaskState))
    user_id: int | None = Field(default=None, foreign_key="users.id")
    queue: str = Field(max_length=128, description="The Celery queue it was sent to (a VRAM tier, cpu, or a host's).")
    spec: dict[str, Any] = Field(
        sa_column=Column(JSON, nullable=False),
        description="What the job does, one shape per kind: the kind's spec model (JobKind) validates it.",
    )
    # The studio's own order of queued tasks (smaller first): workers take the first due task of their Celery
    # queue by it, so "move to the front" is a change of this number (server.jobs.control).
    position: int = Field(default_factory=queue_position_now, sa_column=Column(BigInteger, nullable=False, index=True))
    # The Celery message that claimed it (a redelivered message resumes this task) and where it ran.
    ticket: str | None = Field(default=None, max_length=36)
    worker: str | None = Field(default=None, max_length=128)
    gpu: str | None = Field(default=None, max_length=128)
    progress: float = 0.0
    take_path: str | None = Field(default=None, max_length=512)
    error: str | None = Field(default=None, sa_column=Column(Text))
    attempts: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
