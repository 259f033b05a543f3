"""Choosing where pipelines run: Docker when an engine is named (never quietly local processes when it refuses) and
the pipeline's image is built, else (auto) a local process; an engine that stops answering mid-run named in a
sentence and looked for again on the next task."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest

from function_runner import docker_backend
from function_runner.docker_backend import LABEL, DockerBackend
from function_runner.errors import EngineUnavailableError, RunnerError
from function_runner.process_backend import ProcessBackend
from schemas.models.run_request import RunRequest
from server.generation.runtime import PipelineRunners
from tests.conftest import make_settings
from tests.support.graphs import manifest, write_manifest
from tests.support.jobs import wait_until
from tests.support.runner import PIPELINE_IMAGES, TEST_PIPELINES, built_images, require_docker
from tests.support.socket_proxy import SocketProxy

PROBE = "contract-probe"


def _runners(tmp_path: Path, backend: str) -> PipelineRunners:
    return PipelineRunners(make_settings(tmp_path / "ws", runner_backend=backend, pipeline_dirs=[TEST_PIPELINES]))


def test_auto_with_an_engine_named_that_refuses_says_why_and_never_runs_pipelines_as_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'engine.sock'}")  # named, nothing listens
    with pytest.raises(EngineUnavailableError) as refused:
        _runners(tmp_path, "auto").for_pipeline(PROBE)
    assert refused.value.message == (
        f"No Docker engine answers at unix://{tmp_path / 'engine.sock'}. Start dockerd (./dev.sh test does) or use "
        "the process backend. STUDIO_RUNNER_BACKEND=auto does not fall back to local processes when an engine is "
        "configured, since pipelines would run without container isolation: start the engine, or set "
        "STUDIO_RUNNER_BACKEND=process to run them as local processes on purpose."
    )


def test_auto_without_any_engine_runs_local_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.setattr(docker_backend, "DEFAULT_SOCKET", f"unix://{tmp_path / 'no-docker-here.sock'}")
    runners = _runners(tmp_path, "auto")
    try:
        assert isinstance(runners.for_pipeline(PROBE).backend, ProcessBackend)
    finally:
        runners.close()


@pytest.fixture
def folders(tmp_path: Path) -> list[Path]:
    require_docker()
    built_images(PIPELINE_IMAGES)
    extra = tmp_path / "pipelines"
    write_manifest(extra, {**manifest("never-built"), "image": "studio/pipeline-never-built:local"})
    return [PIPELINE_IMAGES, extra]


@pytest.mark.docker
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


@pytest.mark.docker
# docker-py drops the connection the cut proxy broke without closing its socket; collected below, inside this
# test, so the ResourceWarning about it is this test's and no later test's.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_an_engine_that_stops_answering_mid_run_is_named_and_found_again_on_the_next_task(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = require_docker()
    built_images(TEST_PIPELINES)
    proxy = SocketProxy("/var/run/docker.sock", tmp_path / "engine.sock").start()
    monkeypatch.setenv("DOCKER_HOST", proxy.url)
    runners = _runners(tmp_path, "auto")
    runner = runners.for_pipeline(PROBE)
    assert isinstance(runner.backend, DockerBackend)
    jobs = str(tmp_path / "ws")
    failure: list[RunnerError] = []

    def run() -> None:
        try:
            runner.run(PROBE, RunRequest(inputs={"text": "x"}, params={"mode": "hang"}, seed=0))
        except RunnerError as exc:
            failure.append(exc)

    def ours() -> list[str]:  # other tests share the engine: ours are those with our job folder mounted
        listed = engine.containers.list(all=True, sparse=True, filters={"label": f"{LABEL}={PROBE}"})
        return [c.id for c in listed if any(m["Source"].startswith(jobs) for m in c.attrs["Mounts"])]

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        wait_until(lambda: bool(ours()), "the pipeline's container runs")
        proxy.cut()
        thread.join(timeout=60)
        [error] = failure
        assert isinstance(error, EngineUnavailableError)
        assert error.message.startswith(f"The Docker engine at {proxy.url} stopped answering while pipeline '{PROBE}'")
        assert error.message.endswith("retry: the worker looks for it again on its next task.")

        runners.reset()  # what the generation job does on this error
        proxy = SocketProxy("/var/run/docker.sock", tmp_path / "engine.sock").start()  # the engine is back
        again = runners.for_pipeline(PROBE).run(PROBE, RunRequest(inputs={"text": "x"}, params={}, seed=0))
        assert again.backend == "docker"
    finally:
        runners.close()
        proxy.cut()
        for container in ours():
            engine.containers.get(container).remove(force=True)
        gc.collect()
