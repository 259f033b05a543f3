"""Fixtures for the per-pipeline tests next to each pipeline: its sample run on both backends."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend
from function_runner.execution import Backend
from function_runner.process_backend import ProcessBackend
from function_runner.runner import CompletedRun, FunctionRunner
from function_runner.samples import run_sample
from tests.support.runner import PIPELINE_IMAGES, assert_hardened, built_images, make_config, require_docker
from tests.support.stack_models import TinyStore

SampleRun = Callable[[str], CompletedRun]


BACKENDS = ["process", pytest.param("docker", marks=pytest.mark.docker)]


@contextmanager
def runner_on(backend_name: str, config: RunnerConfig) -> Iterator[FunctionRunner]:
    """A runner on the named backend; on Docker, every container it launched is checked for its isolation."""
    backend: Backend
    if backend_name == "docker":
        built_images(PIPELINE_IMAGES)
        backend = DockerBackend(config, client=require_docker())
    else:
        backend = ProcessBackend(config)
    runner = FunctionRunner(config, backend)
    yield runner
    runner.close()
    if isinstance(backend, DockerBackend):
        assert backend.launched, "the run launched no container"
        for attrs in backend.launched:
            assert_hardened(attrs, config)


@pytest.fixture(params=BACKENDS)
def sample(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SampleRun]:
    """`sample(pipeline_id)` runs that pipeline's samples/request.json on the parametrized backend."""
    with runner_on(request.param, make_config(PIPELINE_IMAGES, tmp_path)) as runner:
        yield lambda pipeline_id: run_sample(runner, pipeline_id)


@pytest.fixture(scope="session")
def tiny_store(tmp_path_factory: pytest.TempPathFactory) -> TinyStore:
    return TinyStore(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module", params=BACKENDS)
def runner(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, tiny_store: TinyStore
) -> Iterator[FunctionRunner]:
    """For a generative pipeline's tests: a runner over the shipped pipelines and a store holding the test
    module's MODELS (tiny, random weights), kept for the module so the warm pipeline loads once."""
    for model in request.module.MODELS:
        tiny_store.model(model)
    # No GPU here: the GPU pipelines run on the CPU in fp32, as their code does without CUDA.
    jobs = tmp_path_factory.mktemp("jobs")
    config = make_config(PIPELINE_IMAGES, jobs, model_store=tiny_store.root, cpu_fallback=True)
    with runner_on(request.param, config) as runner:
        yield runner
