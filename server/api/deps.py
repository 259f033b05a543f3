"""Named dependency types shared by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlmodel import Session

from server.auth.sessions import AccessChanges, signed_in_user
from server.auth.tokens import read_access_token
from server.config import Settings
from server.db.tables import User
from server.errors import AuthenticationError
from server.events import EventSink
from server.jobs.queue import JobQueue
from server.jobs.service import TaskService
from server.limits.rate import Counters
from server.limits.sign_in import SignInGuard
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


BearerToken = Annotated[str | None, Depends(_bearer)]


def get_current_user(session: SessionDep, settings: SettingsDep, token: BearerToken) -> User:
    if not token:
        raise AuthenticationError(
            "Sign in first: POST /auth/token with your username and password, then send "
            "'Authorization: Bearer <token>'."
        )
    return signed_in_user(session, read_access_token(token, settings))


CurrentUser = Annotated[User, Depends(get_current_user)]
GitLfsDep = Annotated[GitLfsStatus, Depends(get_git_lfs)]


def get_events(request: Request) -> EventSink:
    events: EventSink = request.app.state.events
    return events


EventsDep = Annotated[EventSink, Depends(get_events)]


def get_access_changes(request: Request) -> AccessChanges:
    access: AccessChanges = request.app.state.access_watch
    return access


AccessChangesDep = Annotated[AccessChanges, Depends(get_access_changes)]


def get_counters(request: Request) -> Counters:
    counters: Counters = request.app.state.counters
    return counters


CountersDep = Annotated[Counters, Depends(get_counters)]


def get_sign_in_guard(counters: CountersDep, settings: SettingsDep) -> SignInGuard:
    return SignInGuard(counters, settings)


SignInGuardDep = Annotated[SignInGuard, Depends(get_sign_in_guard)]


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]


def get_project_service(
    session: SessionDep, settings: SettingsDep, git_lfs: GitLfsDep, events: EventsDep, access: AccessChangesDep
) -> ProjectService:
    return ProjectService(session, settings, git_lfs, events, access)


ProjectServiceDep = Annotated[ProjectService, Depends(get_project_service)]


def get_task_service(
    request: Request, session: SessionDep, projects: ProjectServiceDep, events: EventsDep
) -> TaskService:
    jobs: JobQueue | None = request.app.state.jobs
    return TaskService(session, projects, jobs, events)


TaskServiceDep = Annotated[TaskService, Depends(get_task_service)]
