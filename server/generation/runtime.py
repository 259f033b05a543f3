"""The pipeline runners a worker process keeps: one FunctionRunner per pipeline folder, on the backend chosen when
it is first needed (and chosen again after the Docker engine went away)."""

from __future__ import annotations

from pathlib import Path

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend, engine_configured
from function_runner.errors import EngineUnavailableError
from function_runner.execution import Backend
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from server.config import Settings
from server.errors import NotFoundError


class PipelineNotInstalledError(NotFoundError):
    code = "pipeline_not_installed"


def make_backend(settings: Settings, config: RunnerConfig) -> Backend:
    """Docker when asked for, or (auto) whenever this machine names an engine; local processes otherwise.

    Auto never falls back to local processes when a configured engine refuses: that would quietly run pipelines
    without their container's isolation. It says why instead."""
    if settings.runner_backend == "process":
        return ProcessBackend(config)
    if settings.runner_backend == "docker" or engine_configured(config.docker_url):
        try:
            return DockerBackend(config)
        except EngineUnavailableError as exc:
            if settings.runner_backend == "docker":
                raise
            raise EngineUnavailableError(
                f"{exc.message} STUDIO_RUNNER_BACKEND=auto does not fall back to local processes when an engine "
                "is configured, since pipelines would run without container isolation: start the engine, or set "
                "STUDIO_RUNNER_BACKEND=process to run them as local processes on purpose."
            ) from exc
    return ProcessBackend(config)


class PipelineRunners:
    """One FunctionRunner per pipeline folder (pipeline_images/, Library/Pipelines, …), found by id."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runners: dict[Path, FunctionRunner] = {}

    def for_pipeline(self, pipeline_id: str) -> FunctionRunner:
        for folder in self.settings.pipeline_search_dirs:
            if (folder / pipeline_id / "pipeline.json").is_file():
                if folder not in self._runners:
                    config = RunnerConfig(
                        pipelines_dir=folder, jobs_dir=self.settings.jobs_dir, model_store=self.settings.model_store
                    )
                    self._runners[folder] = FunctionRunner(config, make_backend(self.settings, config))
                return self._runners[folder]
        raise PipelineNotInstalledError(
            f"Pipeline '{pipeline_id}' is not installed on this worker (looked in "
            f"{', '.join(str(f) for f in self.settings.pipeline_search_dirs)}).",
            field="pipeline_id",
        )

    def reset(self) -> None:
        """Forget every runner (after the Docker engine went away): the next task chooses its backend again."""
        runners, self._runners = self._runners, {}
        for runner in runners.values():
            runner.close()

    def close(self) -> None:
        self.reset()
