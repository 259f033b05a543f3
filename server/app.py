"""create_app(): the FastAPI application for one Settings."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import socketio
from fastapi import FastAPI
from fastapi.routing import APIRoute

from server.api import (
    assembly,
    assets,
    auth,
    files,
    git,
    graph,
    metrics,
    model_pulls,
    probes,
    projects,
    queue,
    system,
    tasks,
    templates,
    tokens,
    uploads,
)
from server.api.body_limit import BodyLimit, BodySizeLimit, RouteLimit
from server.api.errors import ERROR_RESPONSES, install_error_handlers
from server.api.frontend import mount_frontend
from server.api.http_metrics import HttpMetrics
from server.api.request_id import RequestId
from server.config import Settings
from server.db.engine import create_db_engine
from server.gitserve.hosting import GitHosting
from server.jobs.kinds import JobKind
from server.limits.rate import counters_for
from server.metrics.registry import StudioMetrics
from server.projects.uploads import UPLOAD_LIMIT_SETTING
from server.realtime import wire_json
from server.realtime.channel import ProjectChannel
from server.realtime.roster import RosterRedisManager, ServerRoster
from server.realtime.sink import SocketServerSink
from server.system.bootstrap import prepare_workspace
from server.system.git_lfs import check_git_lfs
from server.tasks.celery_app import CeleryJobQueue, create_celery_app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.events.loop = asyncio.get_running_loop()
    # Before the first socket can connect (uvicorn serves once this startup returns): see server/realtime/roster.py.
    await app.state.roster.join()
    roster = asyncio.create_task(app.state.roster.run())
    access_watch = asyncio.create_task(app.state.access_watch.run())
    yield
    for task in (access_watch, roster):
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    await app.state.channel.autosave.flush()
    app.state.events.loop = None
    app.state.engine.dispose()


def _operation_id(route: APIRoute) -> str:
    """A route's operation id in the OpenAPI document is its name (list_projects), which the generated
    TypeScript client and the docs show."""
    return route.name


def _open_sockets(sio: socketio.AsyncServer) -> int:
    """Connections to this server process (every connected socket is in the namespace's None room)."""
    return sum(1 for _ in sio.manager.get_participants("/", None))


def create_app(settings: Settings) -> FastAPI:
    app = FastAPI(
        lifespan=_lifespan,
        title="Generative Media Studio",
        version="0.1.0",
        description="Projects as Git + LFS repositories, a typed node graph, containerised pipelines.",
        generate_unique_id_function=_operation_id,
    )
    app.state.settings = settings
    app.state.engine = create_db_engine(settings.resolved_database_url)
    prepare_workspace(settings, app.state.engine)
    # The startup check of PRD §3.2, made once; restart the studio after installing git-lfs.
    app.state.git_lfs = check_git_lfs()
    app.state.git_hosting = GitHosting.create(settings)
    if app.state.git_lfs.available:
        app.state.git_hosting.backfill(app.state.engine)
    # Which other server processes hold sockets: alone, this one's events and edit counts stay out of Redis.
    app.state.roster = ServerRoster(settings.redis_url)
    sio = socketio.AsyncServer(
        async_mode="asgi",
        json=wire_json,
        # Through Redis, events emitted by workers and other server processes reach this server's sockets.
        client_manager=RosterRedisManager(settings.redis_url, app.state.roster) if settings.redis_url else None,
    )
    app.state.events = SocketServerSink(sio)
    # Services send long jobs through this queue (server.jobs.queue), never through Celery itself.
    app.state.jobs = (
        CeleryJobQueue(create_celery_app(settings.redis_url, settings.visibility_timeout_s))
        if settings.redis_url
        else None
    )
    # Rate-limit counters in Redis hold across server processes; without Redis there is only this one.
    app.state.counters = counters_for(settings.redis_url)
    app.state.channel = ProjectChannel(
        sio,
        app.state.engine,
        settings,
        app.state.git_lfs,
        app.state.events,
        app.state.jobs,
        app.state.counters,
        app.state.roster,
    )
    app.state.access_watch = app.state.channel.access
    app.mount("/ws", socketio.ASGIApp(sio, socketio_path="ws/socket.io"))
    install_error_handlers(app)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_request_mb * 1024 * 1024,
        exempt=git.STREAMING_PATH,
        route_limits=(
            RouteLimit(uploads.UPLOAD_PATH, BodyLimit(settings.upload_max_bytes, UPLOAD_LIMIT_SETTING)),
            RouteLimit(assets.IMAGES_PATH, BodyLimit(settings.upload_max_bytes, UPLOAD_LIMIT_SETTING)),
            RouteLimit(git.ANY_PATH, BodyLimit(settings.git_json_max_bytes, git.JSON_LIMIT_SETTING)),
        ),
    )
    app.state.metrics = StudioMetrics(
        app.state.engine, settings.redis_url, [kind.value for kind in JobKind], lambda: _open_sockets(sio)
    )
    app.add_middleware(HttpMetrics, metrics=app.state.metrics)
    app.add_middleware(RequestId)  # outermost: every answer carries it, refusals of the middlewares too
    for module in (
        auth,
        projects,
        files,
        uploads,
        assets,
        templates,
        system,
        graph,
        tasks,
        queue,
        model_pulls,
        assembly,
        tokens,
        git,
        metrics,
    ):
        app.include_router(module.router, responses=ERROR_RESPONSES)
    app.include_router(probes.router, responses=ERROR_RESPONSES)  # deliberately public: names and booleans only
    mount_frontend(app)  # last: the canvas answers only paths no API route claims
    return app
