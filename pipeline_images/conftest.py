"""Fixtures for the per-pipeline tests next to each pipeline: its sample run on both backends, a generative
pipeline's tests on one (see pytest_generate_tests)."""

from __future__ import annotations

import os
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
from tests.support.runner import (
    DOCKER_ENV,
    PIPELINE_IMAGES,
    assert_hardened,
    built_images,
    make_config,
    require_docker,
)
from tests.support.stack_models import TinyStore

SampleRun = Callable[[str], CompletedRun]


DOCKER = pytest.param("docker", marks=pytest.mark.docker)
BACKENDS = ["process", DOCKER]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A generative pipeline's tests run on one backend: Docker, the one a studio with an engine uses (the
    process backend where STUDIO_TEST_DOCKER=0 says there is none). A test marked `both_backends` runs on the
    process backend too: one pipeline of each library stack (diffusers for inference, its LoRA training and
    spandrel; f5; insightface; lipsync), so every stack's virtualenv is seen to run a model without Docker; the
    backends themselves, and what differs between them, are tested in tests/function_runner. Each run on the CPU
    costs tens of seconds (the 63 process-backend runs this leaves out were about 900 s of test time)."""
    if "runner" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("both_backends"):
        backends = BACKENDS
    else:
        backends = ["process"] if os.environ.get(DOCKER_ENV) == "0" else [DOCKER]
    metafunc.parametrize("runner", backends, indirect=True, scope="module")


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


@pytest.fixture(scope="module")
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
