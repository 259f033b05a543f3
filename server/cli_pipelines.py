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
from function_runner.docker_backend import DockerBackend, connect, engine_socket_answers
from function_runner.errors import RunnerError
from function_runner.execution import Backend
from function_runner.images import ImageChain
from function_runner.manifest import Pipeline, discover_pipelines, find_pipeline
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from function_runner.samples import run_sample
from function_runner.scaffold import create_pipeline
from function_runner.stack_env import ensure_stack_env, stack_env_ready
from function_runner.stacks import Stack, load_stack
from schemas.models.run_progress import RunProgress
from server.build_progress import BuildProgress
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
    return Settings().runner_config(pipelines_dir, docker_url=os.environ.get("DOCKER_HOST"))


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


class Target(StrEnum):
    all = "all"
    docker = "docker"
    process = "process"


@pipelines_app.command("build")
def build(
    pipeline_id: Annotated[str | None, typer.Argument(metavar="[ID]", help="Default: every pipeline.")] = None,
    base_image: Annotated[
        str | None,
        typer.Option(help="FROM for the base, e.g. python:3.11-slim (default: offline Debian rootfs)."),
    ] = None,
    target: Annotated[
        Target,
        typer.Option(
            "--for", help="Docker images, the process backend's stack virtualenvs, or both (Docker when one answers)."
        ),
    ] = Target.all,
    pipelines_dir: PipelinesDir = REPO_PIPELINES,
) -> None:
    """Build images (base, stack layers, pipelines) and stack virtualenvs; unchanged recipes are not rebuilt."""
    config = runner_config(pipelines_dir)
    try:
        pipelines = [find_pipeline(pipelines_dir, pipeline_id)] if pipeline_id else discover_pipelines(pipelines_dir)
        images = target is not Target.process
        if target is Target.all and not engine_socket_answers(config.docker_url):
            console.print("no Docker engine answers: building only the process backend's environments")
            images = False
        envs = target is not Target.docker
        stacks = _stacks(config, pipelines)
        total = len(stacks) if envs else 0  # the bar's steps: stack virtualenvs, then base, layers, pipelines
        if images:
            total += 1 + len({layer.name for stack in stacks for layer in stack.chain()}) + len(pipelines)
        with BuildProgress(console, total) as progress:
            if images:
                _build_images(config, pipelines, base_image, progress)
            if envs:
                _build_stack_envs(config, stacks, progress)
    except RunnerError as exc:
        raise _fail(exc.message) from exc


def _build_images(
    config: RunnerConfig, pipelines: list[Pipeline], base_image: str | None, progress: BuildProgress
) -> None:
    chain = ImageChain(connect(config), config, base_image, on_log=progress.log)
    progress.done(chain.base())
    for pipeline in pipelines:
        if pipeline.manifest.stack:
            for layer in load_stack(config.stack_recipes, pipeline.manifest.stack).chain():
                progress.done(chain.stack(layer))
        progress.done(chain.pipeline(pipeline))


def _stacks(config: RunnerConfig, pipelines: list[Pipeline]) -> list[Stack]:
    """The library stacks the pipelines run on, each once."""
    names = sorted({p.manifest.stack for p in pipelines if p.manifest.stack})
    return [load_stack(config.stack_recipes, name) for name in names]


def _build_stack_envs(config: RunnerConfig, stacks: list[Stack], progress: BuildProgress) -> None:
    for stack in stacks:
        name = stack.name
        ready = stack_env_ready(config.stack_cache, stack, config.torch_variant)
        python = ensure_stack_env(config.stack_cache, stack, config.torch_variant, config.python, progress.log)
        progress.line(f"stack '{name}' virtualenv {python.parent.parent}", rebuilt=not ready)


@pipelines_app.command("test")
def test(
    pipeline_id: Annotated[str, typer.Argument(metavar="ID")],
    backend: Annotated[
        BackendName | None, typer.Option(help="Where to run it (default: Docker when an engine answers, else process).")
    ] = None,
    pipelines_dir: PipelinesDir = REPO_PIPELINES,
) -> None:
    """Run the pipeline on samples/request.json and check its outputs against the manifest."""
    config = runner_config(pipelines_dir)
    if backend is None:
        backend = BackendName.docker if engine_socket_answers(config.docker_url) else BackendName.process
        if backend is BackendName.process:
            console.print("no Docker engine answers: testing on the process backend")
    runner_backend: Backend
    try:
        pipeline = find_pipeline(pipelines_dir, pipeline_id)
        if backend is BackendName.docker:
            client = connect(config)
            with BuildProgress(console) as progress:
                ImageChain(client, config, on_log=progress.log).pipeline(pipeline)
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
