"""Named dependency types shared by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from server.auth.tokens import user_id_from_token
from server.config import Settings
from server.db.tables import User
from server.errors import AuthenticationError
from server.events import EventSink
from server.jobs.queue import JobQueue
from server.jobs.service import TaskService
from server.projects.service import ProjectService
from server.system.git_lfs import GitLfsStatus

_bearer = OAuth2PasswordBearer(tokenUrl="/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]


def get_git_lfs(request: Request) -> GitLfsStatus:
    status: GitLfsStatus = request.app.state.git_lfs
    return status


def get_current_user(
    session: SessionDep, settings: SettingsDep, token: Annotated[str | None, Depends(_bearer)]
) -> User:
    if not token:
        raise AuthenticationError(
            "Sign in first: POST /auth/token with your username and password, then send "
            "'Authorization: Bearer <token>'."
        )
    user = session.get(User, user_id_from_token(token, settings))
    if user is None:
        raise AuthenticationError("The account this token belongs to no longer exists; sign in again.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]
GitLfsDep = Annotated[GitLfsStatus, Depends(get_git_lfs)]


def get_events(request: Request) -> EventSink:
    events: EventSink = request.app.state.events
    return events


EventsDep = Annotated[EventSink, Depends(get_events)]


def get_project_service(
    session: SessionDep, settings: SettingsDep, git_lfs: GitLfsDep, events: EventsDep
) -> ProjectService:
    return ProjectService(session, settings, git_lfs, events)


ProjectServiceDep = Annotated[ProjectService, Depends(get_project_service)]


def get_task_service(
    request: Request, session: SessionDep, projects: ProjectServiceDep, events: EventsDep
) -> TaskService:
    jobs: JobQueue | None = request.app.state.jobs
    return TaskService(session, projects, jobs, events)


TaskServiceDep = Annotated[TaskService, Depends(get_task_service)]
