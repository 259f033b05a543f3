"""`studio pipelines new|build|test|list`: a thin typer layer over function_runner."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend, connect
from function_runner.errors import RunnerError
from function_runner.execution import Backend
from function_runner.images import build_base, build_pipeline
from function_runner.manifest import discover_pipelines, find_pipeline
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from function_runner.samples import run_sample
from function_runner.scaffold import create_pipeline
from schemas.models.run_progress import RunProgress
from server.config import Settings

REPO_PIPELINES = Path(__file__).resolve().parents[1] / "pipeline_images"

pipelines_app = typer.Typer(help="Scaffold, build, test and list pipelines.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)

PipelinesDir = Annotated[
    Path,
    typer.Option(
        "--pipelines-dir",
        envvar="STUDIO_PIPELINES_DIR",
        help="Folder of pipeline folders (default: the checkout's pipeline_images/).",
    ),
]


class BackendName(StrEnum):
    docker = "docker"
    process = "process"


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[bold red]error:[/] {message}")
    return typer.Exit(code=1)


def runner_config(pipelines_dir: Path) -> RunnerConfig:
    """The runner's explicit config from Settings: jobs in the state dir, weights in Library/Models."""
    settings = Settings()
    return RunnerConfig(
        pipelines_dir=pipelines_dir,
        jobs_dir=settings.state_dir / "jobs",
        model_store=Path(os.environ.get("STUDIO_MODEL_STORE", settings.library_dir / "Models")),
        docker_url=os.environ.get("DOCKER_HOST"),
    )


@pipelines_app.command("new")
def new(
    pipeline_id: Annotated[str, typer.Argument(metavar="ID", help="e.g. t2i-my-model")],
    title: Annotated[str | None, typer.Option(help="Palette title.")] = None,
    pipelines_dir: PipelinesDir = REPO_PIPELINES,
) -> None:
    """Scaffold a working pipeline folder (manifest, Dockerfile, entrypoint, sample, test)."""
    try:
        folder = create_pipeline(pipelines_dir, pipeline_id, title)
    except RunnerError as exc:
        raise _fail(exc.message) from exc
    console.print(f"created [bold]{folder}[/]; try it: studio pipelines test {pipeline_id} --backend process")


@pipelines_app.command("build")
def build(
    pipeline_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Default: every pipeline.")] = None,
    base_image: Annotated[
        str | None,
        typer.Option(help="FROM for the base, e.g. python:3.11-slim (default: offline Debian rootfs)."),
    ] = None,
    pipelines_dir: PipelinesDir = REPO_PIPELINES,
) -> None:
    """Build the base image and pipeline images; unchanged recipes are not rebuilt."""
    config = runner_config(pipelines_dir)
    try:
        client = connect(config)
        base = build_base(client, REPO_PIPELINES / "base", base_image)
        console.print(f"{base.tag}  {'built' if base.rebuilt else 'up to date'}")
        pipelines = [find_pipeline(pipelines_dir, pipeline_id)] if pipeline_id else discover_pipelines(pipelines_dir)
        for pipeline in pipelines:
            image = build_pipeline(client, pipeline, base)
            console.print(f"{image.tag}  {'built' if image.rebuilt else 'up to date'}")
    except RunnerError as exc:
        raise _fail(exc.message) from exc


@pipelines_app.command("test")
def test(
    pipeline_id: Annotated[str, typer.Argument(metavar="ID")],
    backend: Annotated[BackendName, typer.Option(help="Where to run it.")] = BackendName.docker,
    pipelines_dir: PipelinesDir = REPO_PIPELINES,
) -> None:
    """Run the pipeline on samples/request.json and check its outputs against the manifest."""
    config = runner_config(pipelines_dir)
    runner_backend: Backend
    try:
        if backend is BackendName.docker:
            client = connect(config)
            build_pipeline(
                client, find_pipeline(pipelines_dir, pipeline_id), build_base(client, REPO_PIPELINES / "base")
            )
            runner_backend = DockerBackend(config, client)
        else:
            runner_backend = ProcessBackend(config)
        runner = FunctionRunner(config, runner_backend)
        try:
            result = run_sample(runner, pipeline_id, on_progress=_print_progress)
        finally:
            runner.close()
    except RunnerError as exc:
        raise _fail(exc.message) from exc
    console.print(f"[bold green]ok[/] {pipeline_id} on {backend.value} in {result.duration_s:.2f} s")
    for name, path in result.outputs.items():
        console.print(f"  {name}: {path} ({path.stat().st_size} bytes)")
    if result.metadata:
        console.print(f"  metadata: {result.metadata}")


def _print_progress(event: RunProgress) -> None:
    console.print(f"  {event.progress:5.1f}%  {event.step or ''}")


@pipelines_app.command("list")
def list_pipelines(pipelines_dir: PipelinesDir = REPO_PIPELINES) -> None:
    """List the pipelines with their task type, hardware and image."""
    try:
        pipelines = discover_pipelines(pipelines_dir)
    except RunnerError as exc:
        raise _fail(exc.message) from exc
    table = Table("id", "version", "task type", "runs on", "warm", "image")
    for pipeline in pipelines:
        manifest = pipeline.manifest
        table.add_row(
            manifest.id,
            manifest.version,
            manifest.task_type.value,
            "GPU" if manifest.resources.gpu else "CPU",
            "yes" if pipeline.serve else "",
            manifest.image,
        )
    console.print(table)
