"""The pipeline runners a worker process keeps: one FunctionRunner per pipeline folder and backend, the backend
chosen per pipeline when it is first needed (and chosen again after the Docker engine went away)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend, engine_configured
from function_runner.errors import EngineUnavailableError
from function_runner.manifest import find_pipeline
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from server.config import Settings
from server.errors import NotFoundError

log = logging.getLogger(__name__)
BackendName = Literal["docker", "process"]


class PipelineNotInstalledError(NotFoundError):
    code = "pipeline_not_installed"


class PipelineRunners:
    """One FunctionRunner per pipeline folder (pipeline_images/, Library/Pipelines, …) and backend, found by id.

    With STUDIO_RUNNER_BACKEND=auto and an engine configured, a pipeline runs in Docker when its image is built, else
    as a local process, logged (and listed by `studio up`): a newcomer's first Generate never waits on (or fails
    for) an image build, and `studio pipelines build` moves each pipeline into its container. An engine that is
    configured but refuses is an error, never a quiet fall back to processes. `docker` is strict.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runners: dict[tuple[Path, BackendName], FunctionRunner] = {}

    def for_pipeline(self, pipeline_id: str) -> FunctionRunner:
        for folder in self.settings.pipeline_search_dirs:
            if (folder / pipeline_id / "pipeline.json").is_file():
                return self._runner(folder, self._backend(folder, pipeline_id))
        raise PipelineNotInstalledError(
            f"Pipeline '{pipeline_id}' is not installed on this worker (looked in "
            f"{', '.join(str(f) for f in self.settings.pipeline_search_dirs)}).",
            field="pipeline_id",
        )

    def _runner(self, folder: Path, backend: BackendName) -> FunctionRunner:
        if (folder, backend) not in self._runners:
            config = self.settings.runner_config(folder)
            made = self._docker(config) if backend == "docker" else ProcessBackend(config)
            self._runners[folder, backend] = FunctionRunner(config, made)
        return self._runners[folder, backend]

    def _docker(self, config: RunnerConfig) -> DockerBackend:
        try:
            return DockerBackend(config)
        except EngineUnavailableError as exc:
            if self.settings.runner_backend == "docker":
                raise
            raise EngineUnavailableError(
                f"{exc.message} STUDIO_RUNNER_BACKEND=auto does not fall back to local processes when an engine "
                "is configured, since pipelines would run without container isolation: start the engine, or set "
                "STUDIO_RUNNER_BACKEND=process to run them as local processes on purpose."
            ) from exc

    def _backend(self, folder: Path, pipeline_id: str) -> BackendName:
        choice = self.settings.runner_backend
        if choice != "auto":
            return choice
        if not engine_configured(None):
            return "process"
        docker = self._runner(folder, "docker").backend
        assert isinstance(docker, DockerBackend)
        image = find_pipeline(folder, pipeline_id).manifest.image
        if docker.image_built(image):
            return "docker"
        log.warning(
            "pipeline %s: image %s is not built on this engine; running it as a local process "
            "(`studio pipelines build %s` runs it in its container)",
            pipeline_id,
            image,
            pipeline_id,
        )
        return "process"

    def reset(self) -> None:
        """Forget every runner (after the Docker engine went away): the next task chooses its backend again."""
        runners, self._runners = self._runners, {}
        for runner in runners.values():
            runner.close()

    def close(self) -> None:
        self.reset()
