"""/git/<slug>.git: smart HTTP (git http-backend) and the Git LFS API, behind HTTP Basic auth.

Every route authenticates and checks the project before it reads a byte of the body: the JSON routes
(batch, verify) then read at most STUDIO_GIT_JSON_MAX_BYTES (the body-size middleware), the streaming
ones (pack data, LFS objects) enforce their own limits (receive.maxInputSize, the largest LFS object).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBasic, HTTPBasicCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError
from sqlmodel import Session, select

from server.api.deps import ClientAddress, ProjectServiceDep, SessionDep, SettingsDep, SignInGuardDep
from server.auth.access_tokens import TokenGrant, grant_for_token, looks_like_token, require_live_token
from server.auth.users import authenticate
from server.auth.worker_tokens import require_task_for_worker
from server.db.tables import Project, TokenScope, User
from server.errors import AuthenticationError, PayloadTooLargeError, PermissionDeniedError, ProjectNotFoundError
from server.gitserve.errors import LfsObjectMissingError
from server.gitserve.hosting import GitHosting
from server.gitserve.http_backend import BackendCall, serve
from server.gitserve.lfs_actions import ActionGrant, issue_action_token, read_action_token
from server.gitserve.lfs_batch import LFS_MEDIA_TYPE, BatchObject, BatchRequest, LfsOperation, batch_response
from server.gitserve.lfs_batch import too_large_message as object_too_large
from server.gitserve.lfs_links import is_linked, link, linked
from server.gitserve.lfs_objects import LfsObject, validate_oid
from server.gitserve.object_store import Spool
from server.gitserve.repo_paths import GitService, service_named, slug_of
from server.gitserve.repo_storage import sync_repository_objects
from server.projects.git import GitRepo
from server.projects.push_import import import_pushed_head
from server.projects.service import Access, ProjectService
from server.takes.pushed import thumbnail_pushed_takes

router = APIRouter(prefix="/git", tags=["git"], include_in_schema=False)
_basic = HTTPBasic(auto_error=False, realm="Generative Media Studio")
_bearer = HTTPBearer(auto_error=False)
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Generative Media Studio", charset="UTF-8"'}
# What streams large bodies (pack data, LFS objects): exempt from the body-size middleware. Every other
# /git/ path is a JSON route under JSON_LIMIT_SETTING.
STREAMING_PATH = re.compile(r"/git/[^/]+/(git-upload-pack|git-receive-pack|info/lfs/objects/[0-9a-f]{64})")
ANY_PATH = re.compile(r"/git/.*")
JSON_LIMIT_SETTING = "STUDIO_GIT_JSON_MAX_BYTES"
CHECKPOINT_MESSAGE = "canvas: save before git transfer"
Body = TypeVar("Body", bound=BaseModel)


def hosting_of(request: Request) -> GitHosting:
    hosting: GitHosting | None = getattr(request.app.state, "git_hosting", None)
    if hosting is None:
        hosting = GitHosting.create(request.app.state.settings)
        request.app.state.git_hosting = hosting
    return hosting


HostingDep = Annotated[GitHosting, Depends(hosting_of)]


def git_user(
    session: SessionDep,
    credentials: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
    guard: SignInGuardDep,
    address: ClientAddress,
) -> TokenGrant:
    """Password (full access) or personal access token (its scope); anything else gets the Basic challenge
    git answers with its credential helper. Failures count against the sign-in limits like POST /auth/token."""
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Sign in: git asks for your studio username and password (or an access token from POST /api/v1/tokens).",
            headers=CHALLENGE,
        )

    def verify() -> TokenGrant:
        if looks_like_token(credentials.password):
            return grant_for_token(session, credentials.password)
        return TokenGrant(authenticate(session, credentials.username, credentials.password), TokenScope.WRITE)

    try:
        return guard.attempt(credentials.username, address, verify)
    except AuthenticationError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, exc.message, headers=CHALLENGE) from exc


GitUser = Annotated[TokenGrant, Depends(git_user)]


def _transfer_user(operation: LfsOperation) -> Callable[..., TokenGrant]:
    """The object routes take a batch answer's transfer token (lfs_actions) or, like every route, Basic auth."""

    def dependency(
        repository: str,
        session: SessionDep,
        settings: SettingsDep,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        basic: Annotated[HTTPBasicCredentials | None, Depends(_basic)],
        guard: SignInGuardDep,
        address: ClientAddress,
    ) -> TokenGrant:
        if bearer is None:
            return git_user(session, basic, guard, address)
        project = session.exec(select(Project).where(Project.slug == slug_of(repository))).first()
        try:
            action = read_action_token(settings, bearer.credentials, project.id if project else "", operation)
            user = session.get(User, action.user_id)
            if user is None:
                raise AuthenticationError("The account this transfer token belongs to no longer exists.")
            if user.token_generation != action.generation:
                raise AuthenticationError(
                    "This LFS transfer token was issued before the account signed out everywhere or changed its "
                    "password; run the git command again with current credentials."
                )
            token = require_live_token(session, action.access_token_id) if action.access_token_id else None
        except AuthenticationError as exc:
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, exc.message, headers=CHALLENGE) from exc
        if token is not None and token.scope is TokenScope.WORKER:
            return TokenGrant(user, TokenScope.WORKER, token.id)  # its projects are checked again, task by task
        # The batch that issued the token checked the access its operation needs.
        return TokenGrant(user, TokenScope.WRITE if operation is LfsOperation.UPLOAD else TokenScope.READ)

    return dependency


DownloadUser = Annotated[TokenGrant, Depends(_transfer_user(LfsOperation.DOWNLOAD))]
UploadUser = Annotated[TokenGrant, Depends(_transfer_user(LfsOperation.UPLOAD))]


def _open(repository: str, grant: TokenGrant, projects: ProjectService, need: Access) -> Project:
    slug = slug_of(repository)
    project = projects.session.exec(select(Project).where(Project.slug == slug)).first()
    if project is None:
        raise ProjectNotFoundError(slug)
    if grant.scope is TokenScope.WORKER:
        require_task_for_worker(projects.session, project)
        return project
    projects.open(grant.user, project.id, need)
    if need >= Access.WRITE and grant.scope is not TokenScope.WRITE:
        raise PermissionDeniedError(
            "This access token has the 'read' scope: it can clone and fetch but not push or upload. "
            "Create one with scope 'write' (POST /api/v1/tokens) to push."
        )
    return project


def readable(repository: str, grant: GitUser, projects: ProjectServiceDep) -> Project:
    return _open(repository, grant, projects, Access.READ)


def writable(repository: str, grant: GitUser, projects: ProjectServiceDep) -> Project:
    return _open(repository, grant, projects, Access.WRITE)


def advertised(repository: str, service: str | None, grant: GitUser, projects: ProjectServiceDep) -> Project:
    need = Access.WRITE if service_named(service) is GitService.RECEIVE_PACK else Access.READ
    return _open(repository, grant, projects, need)


def _sync(projects: ProjectService, hosting: GitHosting, project: Project) -> None:
    """The server's own new objects (takes, uploads) into the store and linked, before a transfer starts."""
    sync_repository_objects(projects.session, project.id, projects.repo(project), hosting.store)


def _save_live_canvas(projects: ProjectService, project: Project) -> int:
    """Commit the live graph before refs are advertised or a push is received: a clone or fetch gets the
    canvas as it is now, and a push made on an older canvas is refused (the pusher pulls the live edits)
    instead of silently replacing them. Returns the live version the push is checked against."""
    projects.checkpoint_canvas(project, "studio", CHECKPOINT_MESSAGE)
    return project.version


def _call(
    hosting: GitHosting, project: Project, endpoint: str, grant: TokenGrant, hook_env: dict[str, str]
) -> BackendCall:
    return BackendCall(
        projects_dir=hosting.settings.projects_dir,
        slug=project.slug,
        endpoint=endpoint,
        remote_user=grant.user.username,
        config=hosting.backend_config(),
        extra_env=hook_env,
    )


# -- smart HTTP ------------------------------------------------------------------------------------------


@router.get("/{repository}/info/refs")
async def info_refs(
    request: Request,
    service: str | None,
    project: Annotated[Project, Depends(advertised)],
    grant: GitUser,
    projects: ProjectServiceDep,
    hosting: HostingDep,
) -> StreamingResponse:
    await run_in_threadpool(_sync, projects, hosting, project)
    await run_in_threadpool(_save_live_canvas, projects, project)
    return await serve(request, _call(hosting, project, "info/refs", grant, {}))


@router.post("/{repository}/git-upload-pack")
async def upload_pack(
    request: Request, project: Annotated[Project, Depends(readable)], grant: GitUser, hosting: HostingDep
) -> StreamingResponse:
    return await serve(request, _call(hosting, project, GitService.UPLOAD_PACK.value, grant, {}))


@router.post("/{repository}/git-receive-pack")
async def receive_pack(
    request: Request,
    project: Annotated[Project, Depends(writable)],
    grant: GitUser,
    projects: ProjectServiceDep,
    hosting: HostingDep,
) -> StreamingResponse:
    base_version = await run_in_threadpool(_save_live_canvas, projects, project)
    repo = projects.repo(project)
    # Held from before the push until its import is done: a server-side commit waits, never interleaves.
    # Waited for on the event loop, at most STUDIO_REPO_LOCK_TIMEOUT_S: then 503 with Retry-After.
    lock = repo.lock()
    await lock.acquire_async()
    try:
        before = await run_in_threadpool(repo.run, "rev-parse", "HEAD")
    except BaseException:
        lock.release()
        raise

    released = False

    async def finish(succeeded: bool) -> None:
        nonlocal released
        if released:
            return
        try:
            if succeeded:
                await run_in_threadpool(_import_push, request, repo, project, before.strip(), base_version)
        finally:
            released = True
            lock.release()

    call = _call(
        hosting, project, GitService.RECEIVE_PACK.value, grant, hosting.push_hook_env(project, base_version, lock.fence)
    )
    try:
        return await serve(request, call, finish)
    except BaseException:
        await finish(False)
        raise


def _import_push(request: Request, repo: GitRepo, project: Project, before: str, base_version: int) -> None:
    after = repo.run("rev-parse", "HEAD").strip()
    thumbnail_pushed_takes(repo, before, after)
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        row = session.get(Project, project.id)
        if row is not None:
            events = getattr(request.app.state, "events", None)
            import_pushed_head(session, repo, row, before, after, base_version, events)


# -- Git LFS ---------------------------------------------------------------------------------------------


def _lfs_json(body: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code, media_type=LFS_MEDIA_TYPE)


async def _json_body(request: Request, model: type[Body]) -> Body:
    """The body, read only now that the caller is authenticated (the middleware caps its size)."""
    try:
        return model.model_validate_json(await request.body())
    except ValidationError as exc:
        raise RequestValidationError(exc.errors()) from exc


@router.post("/{repository}/info/lfs/objects/batch")
async def lfs_batch(
    request: Request, repository: str, grant: GitUser, projects: ProjectServiceDep, hosting: HostingDep
) -> JSONResponse:
    # Read access at least before the body is read; write access once it says the batch is an upload.
    project = await run_in_threadpool(_open, repository, grant, projects, Access.READ)
    batch = await _json_body(request, BatchRequest)
    if batch.operation is LfsOperation.UPLOAD:
        await run_in_threadpool(_open, repository, grant, projects, Access.WRITE)

    def answer() -> dict[str, Any]:
        _sync(projects, hosting, project)
        held = linked(projects.session, project.id, (o.oid for o in batch.objects))
        lfs_url = f"{str(request.base_url).rstrip('/')}/git/{repository}/info/lfs"
        assert grant.user.id is not None
        action = ActionGrant(grant.user.id, grant.user.token_generation, grant.token_id)
        token = issue_action_token(hosting.settings, action, project.id, batch.operation.value)
        return batch_response(batch, hosting.store, held, lfs_url, token, hosting.settings.lfs_max_object_bytes)

    return _lfs_json(await run_in_threadpool(answer))


def _held_size(projects: ProjectService, hosting: GitHosting, project: Project, oid: str) -> int | None:
    """The object's size if this project holds it; None otherwise (unlinked looks exactly like missing)."""
    if not is_linked(projects.session, project.id, validate_oid(oid)):
        return None
    return hosting.store.size_of(oid)


@router.get("/{repository}/info/lfs/objects/{oid}")
def lfs_download(
    repository: str, oid: str, grant: DownloadUser, projects: ProjectServiceDep, hosting: HostingDep
) -> StreamingResponse:
    project = _open(repository, grant, projects, Access.READ)
    size = _held_size(projects, hosting, project, oid)
    if size is None:
        raise LfsObjectMissingError(oid)
    return StreamingResponse(
        hosting.store.read_chunks(oid),
        media_type="application/octet-stream",
        headers={"Content-Length": str(size)},
    )


@router.put("/{repository}/info/lfs/objects/{oid}")
async def lfs_upload(
    request: Request, repository: str, oid: str, grant: UploadUser, projects: ProjectServiceDep, hosting: HostingDep
) -> Response:
    project = await run_in_threadpool(_open, repository, grant, projects, Access.WRITE)
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise HTTPException(status.HTTP_411_LENGTH_REQUIRED, "Send the object with a Content-Length header.")
    limit = hosting.settings.lfs_max_object_bytes
    if int(declared) > limit:
        raise PayloadTooLargeError(object_too_large(int(declared), limit), field="body", limit_bytes=limit)
    spool = await run_in_threadpool(Spool, hosting.store, LfsObject(validate_oid(oid), int(declared)))
    try:
        async for chunk in request.stream():
            spool.write(chunk)
        verified = await run_in_threadpool(spool.finish)
        await run_in_threadpool(hosting.store.adopt, spool.expected, verified)
    finally:
        await asyncio.to_thread(spool.discard)
    # Verified against its oid and uploaded to this project: from now on the project holds it.
    await run_in_threadpool(link, projects.session, project.id, [oid])
    return Response(status_code=status.HTTP_200_OK)


@router.post("/{repository}/info/lfs/verify")
async def lfs_verify(
    request: Request, repository: str, grant: UploadUser, projects: ProjectServiceDep, hosting: HostingDep
) -> JSONResponse:
    project = await run_in_threadpool(_open, repository, grant, projects, Access.WRITE)
    obj = await _json_body(request, BatchObject)
    if await run_in_threadpool(_held_size, projects, hosting, project, obj.oid) != obj.size:
        raise LfsObjectMissingError(obj.oid)
    return _lfs_json({"oid": obj.oid, "size": obj.size})
