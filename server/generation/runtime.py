"""What a worker process builds once: database engine, pipeline runners, the event sink."""

from __future__ import annotations

from pathlib import Path

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend, engine_socket_answers
from function_runner.execution import Backend
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from server.config import Settings
from server.errors import NotFoundError


class PipelineNotInstalledError(NotFoundError):
    code = "pipeline_not_installed"


def make_backend(settings: Settings, config: RunnerConfig) -> Backend:
    use_docker = settings.runner_backend == "docker" or (
        settings.runner_backend == "auto" and engine_socket_answers(config.docker_url)
    )
    return DockerBackend(config) if use_docker else ProcessBackend(config)


class PipelineRunners:
    """One FunctionRunner per pipeline folder (pipeline_images/, Library/Pipelines, …), found by id."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._runners: dict[Path, FunctionRunner] = {}

    def for_pipeline(self, pipeline_id: str) -> FunctionRunner:
        for folder in self.settings.pipeline_search_dirs:
            if (folder / pipeline_id / "pipeline.json").is_file():
                if folder not in self._runners:
                    config = self.settings.runner_config(folder)
                    self._runners[folder] = FunctionRunner(config, make_backend(self.settings, config))
                return self._runners[folder]
        raise PipelineNotInstalledError(
            f"Pipeline '{pipeline_id}' is not installed on this worker (looked in "
            f"{', '.join(str(f) for f in self.settings.pipeline_search_dirs)}).",
            field="pipeline_id",
        )

    def close(self) -> None:
        for runner in self._runners.values():
            runner.close()
