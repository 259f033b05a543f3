"""The `studio` command: start the studio, run a worker, manage users, rebuild the index."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from contextlib import AbstractContextManager
from typing import Annotated

import redis
import typer
from rich.console import Console
from rich.table import Table
from sqlmodel import Session

from function_runner.errors import RunnerError
from server.auth import users as user_accounts
from server.auth.sessions import AccessChanges
from server.build_progress import StepProgress
from server.cli_db import db_app, open_database
from server.cli_deploy import deploy_app
from server.cli_models import models_app
from server.cli_pipelines import pipelines_app
from server.cli_templates import templates_app
from server.cli_tokens import tokens_app, workers_app
from server.config import Settings
from server.db.engine import create_db_engine, session_scope
from server.dispatch.capabilities import detect_capabilities
from server.dispatch.registry import Heartbeat, WorkerRegistry
from server.errors import StudioError
from server.graph.catalogue import load_catalogue
from server.jobs.rows import Seat
from server.logs.setup import configure_logging
from server.models.availability import pipeline_availability
from server.projects.index import project_folders
from server.projects.index import reindex as reindex_projects
from server.realtime.access_watch import AccessChangePublisher
from server.system.bootstrap import create_first_admin, prepare_workspace
from server.system.embedded_redis import EmbeddedRedis
from server.system.git_lfs import check_git_lfs

app = typer.Typer(help="Generative Media Studio.", no_args_is_help=True, pretty_exceptions_enable=False)
users_app = typer.Typer(help="Manage user accounts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(pipelines_app, name="pipelines")
app.add_typer(models_app, name="models")
app.add_typer(templates_app, name="templates")
app.add_typer(tokens_app, name="tokens")
app.add_typer(workers_app, name="workers")
app.add_typer(deploy_app, name="deploy")
app.add_typer(db_app, name="db")
console = Console()
err_console = Console(stderr=True)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=1)


@app.command()
def up(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (default STUDIO_HOST or 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default STUDIO_PORT or 8000).")] = None,
) -> None:
    """Start the studio: embedded Redis (unless STUDIO_REDIS_URL is set), a Celery worker and the server."""
    settings = Settings()
    updates: dict[str, object] = {}
    if host:
        updates["host"] = host
    if port:
        updates["port"] = port
    settings = settings.model_copy(update=updates)

    git_lfs = check_git_lfs()
    if not git_lfs.available:
        err_console.print(f"[bold yellow]warning:[/] {git_lfs.message}")

    engine = create_db_engine(settings.resolved_database_url)
    try:
        prepare_workspace(settings, engine)
    except StudioError as exc:
        raise _fail(exc.message) from exc
    first_admin = create_first_admin(settings, engine)
    embedded = EmbeddedRedis(settings.run_dir) if settings.redis_url is None else None
    worker: subprocess.Popen[bytes] | None = None
    try:
        if embedded:
            settings = settings.model_copy(update={"redis_url": embedded.start()})
        if settings.start_worker:
            env = {
                **os.environ,
                "STUDIO_REDIS_URL": settings.redis_url or "",
                "STUDIO_WORKSPACE": str(settings.workspace_dir),
            }
            log = (settings.state_dir / "logs" / "worker.log").open("ab")
            worker = subprocess.Popen([sys.executable, "-m", "server", "worker"], env=env, stdout=log, stderr=log)
        url = f"http://{settings.host}:{settings.port}"
        console.print(
            f"[bold green]Generative Media Studio[/] is starting at [link={url}]{url}[/] (API docs at {url}/docs)"
        )
        console.print(f"workspace: {settings.workspace_dir}")
        _say_what_runs_as_processes(settings)
        if first_admin:
            console.print(f"first admin user: [bold]{first_admin.username}[/]")
            if first_admin.generated_password:
                console.print(
                    f"password: [bold]{first_admin.generated_password}[/]  (shown once: note it now, "
                    "change it with `studio users passwd`)"
                )
            else:
                console.print("password: the one given in STUDIO_ADMIN_PASSWORD")
        configure_logging(settings.log_format)
        # The server and the worker are imported by the commands that run them (seconds of imports: FastAPI,
        # Socket.IO, MoviePy), so every other command, and --help, answers at once.
        import uvicorn

        from server.app import create_app

        app = create_app(settings)
        # What the start made (modules, routes, schemas: ~250,000 objects) lives as long as the process: frozen
        # out of the collector, a full collection walks only what serving makes. Unfrozen, one in the middle of a
        # broadcast paused the server 240 ms (benchmarks/realtime.py, 100 clients); frozen, 22 ms.
        gc.collect()
        gc.freeze()
        # log_config=None: uvicorn's loggers propagate to the root handler configured above (text or JSON).
        # No permessage-deflate: each socket compresses every message with its own zlib stream, so a patch broadcast
        # to a room is compressed once per client. Patches are a few hundred bytes (little to gain) and that cost
        # capped broadcast throughput (benchmarks/realtime.py); the price is a full sync sent uncompressed (~1 MB
        # at 2,000 nodes).
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="info",
            log_config=None,
            ws_per_message_deflate=False,
        )
    finally:
        if worker and worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)
        if embedded:
            embedded.stop()


def _say_what_runs_as_processes(settings: Settings) -> None:
    """With a Docker engine, pipelines whose image is not built yet run as local processes (runtime.py)."""
    if settings.runner_backend != "auto":
        return
    availability = pipeline_availability(load_catalogue(settings.pipeline_search_dirs).pipelines, settings)
    unbuilt = sorted(pipeline for pipeline, state in availability.items() if state.image_built is False)
    if unbuilt:
        console.print(
            f"{len(unbuilt)} pipeline image(s) not built yet ({', '.join(unbuilt)}): they run as local processes "
            "until `studio pipelines build` builds them into their containers."
        )


@app.command()
def worker(
    queues: Annotated[
        str | None, typer.Option(help="Comma-separated queues; default: every queue this machine's GPUs serve.")
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1)] = 1,
) -> None:
    """Run a Celery worker (STUDIO_REDIS_URL must point at the studio's Redis) and announce it."""
    from celery.signals import setup_logging, worker_ready, worker_shutdown

    from server.tasks.celery_app import create_celery_app
    from server.worker import register_worker_jobs

    settings = Settings()
    if not settings.redis_url:
        raise _fail("STUDIO_REDIS_URL is not set; start everything with `studio up`, or point it at Redis.")
    try:
        capabilities = detect_capabilities(settings.worker_gpus, comfyui_url=settings.comfyui_url)
    except (StudioError, RunnerError) as exc:  # a ComfyUI that does not answer is said now, not at the first task
        raise _fail(exc.message) from exc
    # The schema before any task touches it: a worker older than the database refuses to start here.
    open_database().dispose()
    served = queues or ",".join(capabilities.queues)
    worker_id = f"{capabilities.host}:{os.getpid()}"
    heartbeat = Heartbeat(WorkerRegistry.from_url(settings.redis_url), worker_id, capabilities)
    # Announced once the worker consumes tasks, withdrawn when it stops: the dispatcher trusts the registry.
    worker_ready.connect(lambda **_: heartbeat.start(), weak=False)
    worker_shutdown.connect(lambda **_: heartbeat.stop(), weak=False)
    if settings.log_format == "json":
        # Celery then leaves the root logger alone: its lines and the jobs' go out as JSON too.
        setup_logging.connect(lambda **_: configure_logging("json"), weak=False)
    try:
        celery = create_celery_app(settings.redis_url, settings.visibility_timeout_s)
        register_worker_jobs(celery, settings, served, Seat(worker_id, capabilities.gpu_label))
        celery.worker_main(
            [
                "worker",
                "--loglevel=INFO",
                f"--queues={served}",
                f"--concurrency={concurrency}",
                f"--hostname={worker_id}@%h",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
            ]
        )
    finally:
        heartbeat.stop()


def _password(given: str | None) -> str:
    if given is not None:
        return given
    from_env = os.environ.get("STUDIO_NEW_PASSWORD")
    if from_env:
        return from_env
    if not sys.stdin.isatty():
        raise _fail("No password given: pass --password, set STUDIO_NEW_PASSWORD, or run in a terminal.")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _user_session() -> AbstractContextManager[Session]:
    return session_scope(open_database())


@users_app.command("add")
def users_add(
    username: str,
    password: Annotated[str | None, typer.Option(help="Prefer the prompt or STUDIO_NEW_PASSWORD.")] = None,
    admin: Annotated[bool, typer.Option("--admin", help="Make the user an administrator.")] = False,
) -> None:
    """Create a user."""
    with _user_session() as session:
        try:
            user_accounts.create_user(session, username, _password(password), is_admin=admin)
        except StudioError as exc:
            raise _fail(exc.message) from exc
    console.print(f"created user [bold]{username}[/]" + (" (admin)" if admin else ""))


@users_app.command("list")
def users_list() -> None:
    """List users."""
    table = Table("username", "admin", "created")
    with _user_session() as session:
        for user in user_accounts.list_users(session):
            table.add_row(user.username, "yes" if user.is_admin else "", f"{user.created_at:%Y-%m-%d %H:%M}")
    console.print(table)


@users_app.command("passwd")
def users_passwd(
    username: str,
    password: Annotated[str | None, typer.Option(help="Prefer the prompt or STUDIO_NEW_PASSWORD.")] = None,
) -> None:
    """Set a user's password: every session of the user ends (tokens refused, open canvases closed)."""
    settings = Settings()
    with _user_session() as session:
        try:
            user_accounts.set_password(session, username, _password(password), _access_changes(settings))
        except StudioError as exc:
            raise _fail(exc.message) from exc
    console.print(f"password of [bold]{username}[/] changed; their sessions are ended")


class _PublishOrWait:
    """Tells running servers at once where a Redis is reachable; else their periodic re-check
    (STUDIO_ACCESS_RECHECK_S) finds the change."""

    def __init__(self, redis_url: str | None) -> None:
        self._publisher = AccessChangePublisher(redis_url) if redis_url else None

    def changed(self, user_id: int, project_id: str | None = None) -> None:
        try:
            if self._publisher is not None:
                self._publisher.changed(user_id, project_id)
                return
        except redis.RedisError:
            pass
        err_console.print("note: no running studio was reached; open canvases close at their next access re-check")


def _access_changes(settings: Settings) -> AccessChanges:
    """Through STUDIO_REDIS_URL, or the embedded Redis that `studio up` runs in this workspace."""
    embedded = EmbeddedRedis(settings.run_dir)
    return _PublishOrWait(settings.redis_url or (embedded.url if embedded.socket_path.exists() else None))


@app.command()
def reindex() -> None:
    """Rebuild the project index from the repositories under <workspace>/Projects."""
    settings = Settings()
    engine = open_database()
    settings.projects_dir.mkdir(parents=True, exist_ok=True)
    with (
        session_scope(engine) as session,
        StepProgress(console, "reindexing", len(project_folders(settings))) as progress,
    ):
        report = reindex_projects(session, settings, lambda folder: progress.step(f"reading {folder}"))
    for label, names in (
        ("added", report.added),
        ("updated", report.updated),
        ("removed", report.removed),
        ("skipped", report.skipped),
    ):
        console.print(f"{label}: {len(names)}" + (f"  ({', '.join(names)})" if names else ""))
