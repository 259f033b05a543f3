"""/git/<slug>.git: smart HTTP (git http-backend) and the Git LFS API, behind HTTP Basic auth."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import HTTPBasic, HTTPBasicCredentials
from sqlmodel import Session, select

from server.api.deps import ClientAddress, ProjectServiceDep, SessionDep, SignInGuardDep
from server.auth.access_tokens import TokenGrant, grant_for_token, looks_like_token
from server.auth.users import authenticate
from server.db.tables import Project, TokenScope
from server.errors import AuthenticationError, PermissionDeniedError, ProjectNotFoundError
from server.gitserve.errors import LfsObjectMissingError
from server.gitserve.hosting import GitHosting
from server.gitserve.http_backend import BackendCall, serve
from server.gitserve.lfs_batch import LFS_MEDIA_TYPE, BatchObject, BatchRequest, LfsOperation, batch_response
from server.gitserve.lfs_objects import LfsObject, validate_oid
from server.gitserve.object_store import Spool
from server.gitserve.repo_paths import GitService, service_named, slug_of
from server.gitserve.repo_storage import attach_to_store
from server.projects.git import GitRepo
from server.projects.push_import import import_pushed_head
from server.projects.service import Access

router = APIRouter(prefix="/git", tags=["git"], include_in_schema=False)
_basic = HTTPBasic(auto_error=False, realm="Generative Media Studio")
CHALLENGE = {"WWW-Authenticate": 'Basic realm="Generative Media Studio", charset="UTF-8"'}


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


def _open(
    repository: str, grant: TokenGrant, projects: ProjectServiceDep, hosting: GitHosting, need: Access
) -> Project:
    slug = slug_of(repository)
    project = projects.session.exec(select(Project).where(Project.slug == slug)).first()
    if project is None:
        raise ProjectNotFoundError(slug)
    projects.open(grant.user, project.id, need)
    if need >= Access.WRITE and grant.scope is not TokenScope.WRITE:
        raise PermissionDeniedError(
            "This access token has the 'read' scope: it can clone and fetch but not push or upload. "
            "Create one with scope 'write' (POST /api/v1/tokens) to push."
        )
    attach_to_store(projects.repo(project), hosting.store)
    return project


def readable(repository: str, user: GitUser, projects: ProjectServiceDep, hosting: HostingDep) -> Project:
    return _open(repository, user, projects, hosting, Access.READ)


def writable(repository: str, user: GitUser, projects: ProjectServiceDep, hosting: HostingDep) -> Project:
    return _open(repository, user, projects, hosting, Access.WRITE)


def advertised(
    repository: str, service: str | None, user: GitUser, projects: ProjectServiceDep, hosting: HostingDep
) -> Project:
    need = Access.WRITE if service_named(service) is GitService.RECEIVE_PACK else Access.READ
    return _open(repository, user, projects, hosting, need)


def _call(hosting: GitHosting, project: Project, endpoint: str, grant: TokenGrant) -> BackendCall:
    return BackendCall(
        projects_dir=hosting.settings.projects_dir,
        slug=project.slug,
        endpoint=endpoint,
        remote_user=grant.user.username,
        config=hosting.backend_config(),
        extra_env=hosting.hook_env(),
    )


# -- smart HTTP ------------------------------------------------------------------------------------------


@router.get("/{repository}/info/refs")
async def info_refs(
    request: Request, project: Annotated[Project, Depends(advertised)], user: GitUser, hosting: HostingDep
) -> StreamingResponse:
    return await serve(request, _call(hosting, project, "info/refs", user))


@router.post("/{repository}/git-upload-pack")
async def upload_pack(
    request: Request, project: Annotated[Project, Depends(readable)], user: GitUser, hosting: HostingDep
) -> StreamingResponse:
    return await serve(request, _call(hosting, project, GitService.UPLOAD_PACK.value, user))


@router.post("/{repository}/git-receive-pack")
async def receive_pack(
    request: Request, project: Annotated[Project, Depends(writable)], user: GitUser, hosting: HostingDep
) -> StreamingResponse:
    repo = GitRepo(hosting.settings.projects_dir / project.slug, hosting.settings.git_timeout_seconds)
    # Held from before the push until its import is done: a server-side commit waits, never interleaves.
    lock = repo.lock()
    await run_in_threadpool(lock.__enter__)
    try:
        before = await run_in_threadpool(repo.run, "rev-parse", "HEAD")
    except BaseException:
        lock.__exit__(None, None, None)
        raise

    released = False

    async def finish(succeeded: bool) -> None:
        nonlocal released
        if released:
            return
        try:
            if succeeded:
                await run_in_threadpool(_import_push, request, hosting, repo, project, before.strip())
        finally:
            released = True
            lock.__exit__(None, None, None)

    try:
        return await serve(request, _call(hosting, project, GitService.RECEIVE_PACK.value, user), finish)
    except BaseException:
        await finish(False)
        raise


def _import_push(request: Request, hosting: GitHosting, repo: GitRepo, project: Project, before: str) -> None:
    after = repo.run("rev-parse", "HEAD").strip()
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        row = session.get(Project, project.id)
        if row is not None:
            import_pushed_head(session, repo, row, before, after, getattr(request.app.state, "events", None))


# -- Git LFS ---------------------------------------------------------------------------------------------


def _lfs_json(body: dict[str, Any], status_code: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code, media_type=LFS_MEDIA_TYPE)


@router.post("/{repository}/info/lfs/objects/batch")
def lfs_batch(
    request: Request,
    repository: str,
    batch: BatchRequest,
    user: GitUser,
    projects: ProjectServiceDep,
    hosting: HostingDep,
) -> JSONResponse:
    need = Access.WRITE if batch.operation is LfsOperation.UPLOAD else Access.READ
    _open(repository, user, projects, hosting, need)
    lfs_url = f"{str(request.base_url).rstrip('/')}/git/{repository}/info/lfs"
    auth = {"Authorization": request.headers["authorization"]}
    return _lfs_json(batch_response(batch, hosting.store, lfs_url, auth))


@router.get("/{repository}/info/lfs/objects/{oid}")
def lfs_download(oid: str, project: Annotated[Project, Depends(readable)], hosting: HostingDep) -> StreamingResponse:
    size = hosting.store.size_of(validate_oid(oid))
    if size is None:
        raise LfsObjectMissingError(oid)
    return StreamingResponse(
        hosting.store.read_chunks(oid),
        media_type="application/octet-stream",
        headers={"Content-Length": str(size)},
    )


@router.put("/{repository}/info/lfs/objects/{oid}")
async def lfs_upload(
    request: Request, oid: str, project: Annotated[Project, Depends(writable)], hosting: HostingDep
) -> Response:
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise HTTPException(status.HTTP_411_LENGTH_REQUIRED, "Send the object with a Content-Length header.")
    spool = await run_in_threadpool(Spool, hosting.store, LfsObject(validate_oid(oid), int(declared)))
    try:
        async for chunk in request.stream():
            spool.write(chunk)
        verified = await run_in_threadpool(spool.finish)
        await run_in_threadpool(hosting.store.adopt, spool.expected, verified)
    finally:
        await asyncio.to_thread(spool.discard)
    return Response(status_code=status.HTTP_200_OK)


@router.post("/{repository}/info/lfs/verify")
def lfs_verify(obj: BatchObject, project: Annotated[Project, Depends(writable)], hosting: HostingDep) -> JSONResponse:
    if hosting.store.size_of(validate_oid(obj.oid)) != obj.size:
        raise LfsObjectMissingError(obj.oid)
    return _lfs_json({"oid": obj.oid, "size": obj.size})
