"""`studio deploy build|env`: the compose deployment's service images and its secrets file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from function_runner.docker_backend import connect
from function_runner.errors import RunnerError
from function_runner.images import ImageChain
from server.build_progress import BuildProgress
from server.cli_pipelines import REPO_PIPELINES, runner_config
from server.deploy.env_file import write_env_file
from server.deploy.images import REPO_ROOT, SERVICES, build_service
from server.errors import StudioError

deploy_app = typer.Typer(help="The compose deployment (deploy/docker-compose.yml).", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)
DEFAULT_ENV_FILE = REPO_ROOT / "deploy" / ".env"


@deploy_app.command("build")
def build() -> None:
    """Build the service images (app, Redis, PostgreSQL) offline, FROM the pipeline base; unchanged ones are kept."""
    config = runner_config(REPO_PIPELINES)
    try:
        client = connect(config)
        with BuildProgress(console, 1 + len(SERVICES)) as progress:
            chain = ImageChain(client, config, on_log=progress.log)
            with chain.build_lock():  # the service images too: one image build at a time on the machine
                base = chain.base()
                progress.done(base)
                for name in SERVICES:
                    progress.done(build_service(client, name, base, config.stack_cache, config.python, progress.log))
    except (RunnerError, StudioError) as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(code=1) from exc


@deploy_app.command("env")
def env(
    path: Annotated[Path, typer.Option("--file", help="Where to write it (keep it out of git).")] = DEFAULT_ENV_FILE,
) -> None:
    """Write the deployment's secrets (database password, signing key, first admin's password) once."""
    _, wrote = write_env_file(path)
    console.print(f"{'wrote' if wrote else 'kept'} {path} (mode 600)")
    console.print("the first admin is 'admin', with the password STUDIO_ADMIN_PASSWORD of that file")
