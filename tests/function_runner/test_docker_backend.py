"""The contract suite on the Docker backend, with every launch's container config inspected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from docker.errors import NotFound
from requests.exceptions import ConnectionError as RequestsConnectionError

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend, WarmContainer
from function_runner.errors import ImageMissingError
from function_runner.execution import Backend, CancelToken, Execution
from function_runner.manifest import find_pipeline
from function_runner.runner import FunctionRunner
from function_runner.warm import WarmInstance
from schemas.models.run_request import RunRequest
from tests.function_runner.contract import RunnerContract
from tests.support.runner import TEST_PIPELINES, assert_hardened, built_images, make_config, require_docker

pytestmark = pytest.mark.docker


@pytest.fixture
def docker_images() -> None:
    built_images(TEST_PIPELINES)


class TestDockerBackend(RunnerContract):
    backends: list[DockerBackend]

    @pytest.fixture(autouse=True)
    def every_launch_is_hardened(self, config: RunnerConfig) -> Iterator[None]:
        built_images(TEST_PIPELINES)
        self.backends = []
        yield
        for backend in self.backends:
            for attrs in backend.launched:
                assert_hardened(attrs, config)

    def make_backend(self, config: RunnerConfig) -> Backend:
        backend = DockerBackend(config, client=require_docker())
        self.backends.append(backend)
        return backend

    def instance_is_gone(self, instance: WarmInstance) -> bool:
        assert isinstance(instance, WarmContainer)
        try:
            instance.container.reload()
        except NotFound:
            return True
        return False

    def test_the_pipeline_cannot_write_its_root_or_reach_a_network(self, runner: FunctionRunner) -> None:
        result = runner.run("contract-probe", RunRequest(inputs={"text": "x"}, params={}, seed=0))
        isolation = json.loads(result.outputs["report"].read_text())["isolation"]
        assert isolation == {"uid": 65534, "root_writable": False, "interfaces": ["lo"]}
        assert len(runner.backend.launched) == 1  # type: ignore[attr-defined]

    def test_a_missing_image_names_the_build_command(self, tmp_path: Path) -> None:
        pipelines = tmp_path / "pipelines"
        (pipelines / "contract-probe").mkdir(parents=True)
        manifest = json.loads((TEST_PIPELINES / "contract-probe" / "pipeline.json").read_text())
        manifest["image"] = "studio/never-built:local"
        (pipelines / "contract-probe" / "pipeline.json").write_text(json.dumps(manifest))
        config = make_config(pipelines, tmp_path)
        runner = FunctionRunner(config, self.make_backend(config))
        with pytest.raises(ImageMissingError, match=r"studio pipelines build contract-probe"):
            runner.run("contract-probe", RunRequest(inputs={"text": "x"}, params={}, seed=0))


class SlowEngineContainer:
    """Stands in for a container whose wait long-polls time out before it exits."""

    def __init__(self, timeouts: int) -> None:
        self.timeouts = timeouts
        self.killed = False
        self.read_timeouts: list[float] = []

    def wait(self, timeout: float) -> dict[str, int]:
        self.read_timeouts.append(timeout)
        if self.killed:
            return {"StatusCode": 137}
        if len(self.read_timeouts) <= self.timeouts:
            raise RequestsConnectionError("Read timed out.")
        return {"StatusCode": 0}

    def kill(self) -> None:
        self.killed = True


def execution_for(config: RunnerConfig, timeout_s: float) -> Execution:
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    return Execution(pipeline, config.jobs_dir, lambda _: None, CancelToken(), timeout_s)


def test_a_long_run_outlives_the_engines_read_timeout(config: RunnerConfig) -> None:
    container = SlowEngineContainer(timeouts=3)
    backend = DockerBackend(config, client=require_docker())  # the engine answers: a read timeout is only that
    code, timed_out = backend._wait(container, execution_for(config, 600))  # type: ignore[arg-type]
    assert (code, timed_out) == (0, False)
    assert len(container.read_timeouts) == 4 and not container.killed


def test_the_wait_stops_at_the_timeout_and_kills(config: RunnerConfig) -> None:
    container = SlowEngineContainer(timeouts=10**6)
    backend = DockerBackend(config, client=require_docker())
    code, timed_out = backend._wait(container, execution_for(config, 0.01))  # type: ignore[arg-type]
    assert (code, timed_out) == (137, True)
    assert container.killed


@pytest.mark.usefixtures("docker_images")
def test_a_warm_container_can_write_only_its_own_pipelines_jobs(config: RunnerConfig) -> None:
    backend = DockerBackend(config, client=require_docker())
    runner = FunctionRunner(config, backend)
    try:
        result = runner.run("contract-warm", RunRequest(inputs={}, params={}, seed=0))
    finally:
        runner.close()
    root = config.jobs_dir.resolve() / "warm" / "contract-warm"
    assert result.job_dir.parent == root
    (warm,) = backend.launched
    assert [(m["Source"], m["Destination"], m["RW"]) for m in warm["Mounts"]] == [(str(root), "/jobs", True)]
