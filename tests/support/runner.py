"""Test support for the function runner: the Docker engine gate, configs, images built once."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import docker
import pytest
from docker.errors import DockerException

from function_runner.config import RunnerConfig
from function_runner.images import BuiltImage, build_base, build_pipeline
from function_runner.manifest import discover_pipelines

REPO = Path(__file__).resolve().parents[2]
PIPELINE_IMAGES = REPO / "pipeline_images"
TEST_PIPELINES = REPO / "tests" / "function_runner" / "pipelines"
DOCKER_ENV = "STUDIO_TEST_DOCKER"


def make_config(pipelines_dir: Path, tmp: Path, **overrides: object) -> RunnerConfig:
    (tmp / "models").mkdir(exist_ok=True)
    return RunnerConfig(
        pipelines_dir=pipelines_dir, jobs_dir=tmp / "jobs", model_store=tmp / "models", **overrides
    )  # type: ignore[arg-type]


@cache
def docker_client() -> docker.DockerClient | None:
    try:
        client = docker.from_env()
        client.ping()
    except DockerException:
        return None
    return client


def require_docker() -> docker.DockerClient:
    """The engine, or a loud failure: docker tests skip only where STUDIO_TEST_DOCKER=0 says so."""
    client = docker_client()
    if client is not None:
        return client
    if os.environ.get(DOCKER_ENV) == "0":
        pytest.skip("Docker declared unavailable (STUDIO_TEST_DOCKER=0)")
    pytest.fail(
        "No Docker engine answers (DOCKER_HOST or /var/run/docker.sock). `./dev.sh test` starts dockerd; "
        "run it that way, or set STUDIO_TEST_DOCKER=0 on a machine that cannot run Docker.",
        pytrace=False,
    )


@cache
def base_image() -> BuiltImage:
    client = require_docker()
    return build_base(client, PIPELINE_IMAGES / "base")


@cache
def built_images(pipelines_dir: Path) -> tuple[str, ...]:
    """Build (cached by recipe) the image of every pipeline under pipelines_dir."""
    client = require_docker()
    base = base_image()
    return tuple(build_pipeline(client, pipeline, base).tag for pipeline in discover_pipelines(pipelines_dir))
