"""Fixtures for the per-pipeline tests next to each pipeline: its sample run on both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from function_runner.docker_backend import DockerBackend
from function_runner.execution import Backend
from function_runner.process_backend import ProcessBackend
from function_runner.runner import CompletedRun, FunctionRunner
from function_runner.samples import run_sample
from tests.support.runner import PIPELINE_IMAGES, assert_hardened, built_images, make_config, require_docker

SampleRun = Callable[[str], CompletedRun]


@pytest.fixture(params=["process", pytest.param("docker", marks=pytest.mark.docker)])
def sample(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SampleRun]:
    """`sample(pipeline_id)` runs that pipeline's samples/request.json on the parametrized backend."""
    config = make_config(PIPELINE_IMAGES, tmp_path)
    backend: Backend
    if request.param == "docker":
        built_images(PIPELINE_IMAGES)
        backend = DockerBackend(config, client=require_docker())
    else:
        backend = ProcessBackend(config)
    runner = FunctionRunner(config, backend)
    yield lambda pipeline_id: run_sample(runner, pipeline_id)
    runner.close()
    if isinstance(backend, DockerBackend):
        assert backend.launched, "the sample run launched no container"
        for attrs in backend.launched:
            assert_hardened(attrs, config)
