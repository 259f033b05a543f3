"""Test support for the function runner: the Docker engine gate, configs, images built once."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import docker
import pytest
from docker.errors import DockerException

from function_runner.config import RunnerConfig
from function_runner.docker_backend import LABEL, engine_socket_answers
from function_runner.images import ImageChain
from function_runner.manifest import discover_pipelines, find_pipeline
from tests.support.stack_models import STACKS_CACHE

REPO = Path(__file__).resolve().parents[2]
PIPELINE_IMAGES = REPO / "pipeline_images"
TEST_PIPELINES = REPO / "tests" / "function_runner" / "pipelines"
DOCKER_ENV = "STUDIO_TEST_DOCKER"


def make_config(pipelines_dir: Path, tmp: Path, model_store: Path | None = None, **overrides: object) -> RunnerConfig:
    """Jobs and (by default) an empty model store under `tmp`; stacks from the shared test cache."""
    if model_store is None:
        model_store = tmp / "models"
        model_store.mkdir(exist_ok=True)
    return RunnerConfig(
        pipelines_dir=pipelines_dir,
        jobs_dir=tmp / "jobs",
        model_store=model_store,
        stacks_cache=STACKS_CACHE,
        **overrides,  # type: ignore[arg-type]
    )


@cache
def docker_client() -> docker.DockerClient | None:
    if not engine_socket_answers(None):
        return None
    client = None
    try:
        client = docker.from_env()
        client.ping()
    except DockerException:
        if client is not None:
            client.close()
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
def image_chain() -> ImageChain:
    """One builder for the session: base and stack layers are checked once, however many pipelines."""
    # Building reads only the image recipes and the stacks cache; no job or model is touched.
    config = RunnerConfig(
        pipelines_dir=PIPELINE_IMAGES, jobs_dir=STACKS_CACHE / "jobs", model_store=STACKS_CACHE / "models",
        stacks_cache=STACKS_CACHE,
    )  # fmt: skip
    return ImageChain(require_docker(), config)


@cache
def built_images(pipelines_dir: Path) -> tuple[str, ...]:
    """Build (cached by recipe) the image of every pipeline under pipelines_dir; `./dev.sh test`'s processes take
    turns through ImageChain's build lock."""
    chain = image_chain()
    with chain.build_lock():
        return tuple(chain.pipeline(pipeline).tag for pipeline in discover_pipelines(pipelines_dir))


def assert_hardened(attrs: dict[str, Any], config: RunnerConfig) -> None:
    """Independent of hardening.verify_hardened: what the engine reports for a launched container."""
    pipeline = find_pipeline(config.pipelines_dir, attrs["Config"]["Labels"][LABEL])
    resources = pipeline.manifest.resources
    host = attrs["HostConfig"]
    assert host["NetworkMode"] == "none"
    assert host["ReadonlyRootfs"] is True
    assert "/tmp" in host["Tmpfs"]
    assert host["CapDrop"] == ["ALL"] and not host["CapAdd"]
    assert host["SecurityOpt"] == ["no-new-privileges"]
    assert host["Privileged"] is False
    assert attrs["Config"]["User"] == "65534:65534"
    assert host["PidsLimit"] == config.pids_limit
    assert host["Memory"] == (resources.memory_mb or 1024) * 1024 * 1024 == host["MemorySwap"]
    assert host["NanoCpus"] == int(min(resources.cpus or 1, os.cpu_count() or 1) * 1e9)  # capped at the host's
    # A GPU only for GPU pipelines, and only without the CPU fallback (tests have no GPU to assign).
    assert bool(host.get("DeviceRequests")) == (pipeline.gpu and not config.cpu_fallback)
    for mount in attrs["Mounts"]:
        assert "docker.sock" not in mount["Source"] + mount["Destination"]
        assert mount["Destination"] in ("/io", "/jobs") or mount["RW"] is False
