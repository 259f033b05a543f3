"""Where a worker runs each pipeline: Docker when its image is built, else (auto) a local process."""

from __future__ import annotations

from pathlib import Path

import pytest

from function_runner.docker_backend import DockerBackend
from function_runner.process_backend import ProcessBackend
from server.generation.runtime import PipelineRunners
from tests.conftest import make_settings
from tests.support.graphs import manifest, write_manifest
from tests.support.runner import PIPELINE_IMAGES, built_images, require_docker

pytestmark = pytest.mark.docker


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    require_docker()
    built_images(PIPELINE_IMAGES)
    extra = tmp_path / "pipelines"
    write_manifest(extra, {**manifest("never-built"), "image": "studio/pipeline-never-built:local"})
    return [PIPELINE_IMAGES, extra]


@pytest.mark.parametrize(
    ("choice", "built", "unbuilt"),
    [
        ("auto", DockerBackend, ProcessBackend),
        ("docker", DockerBackend, DockerBackend),
        ("process", ProcessBackend, ProcessBackend),
    ],
)
def test_auto_runs_unbuilt_images_as_processes_and_the_explicit_choices_hold(
    tmp_path: Path, folders: list[Path], choice: str, built: type, unbuilt: type
) -> None:
    runners = PipelineRunners(make_settings(tmp_path / "ws", pipeline_dirs=folders, runner_backend=choice))
    try:
        assert isinstance(runners.for_pipeline("cpu-storyboard").backend, built)
        assert isinstance(runners.for_pipeline("never-built").backend, unbuilt)
    finally:
        runners.close()
