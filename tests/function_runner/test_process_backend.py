"""The contract suite on the local-process backend."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from function_runner.config import RunnerConfig
from function_runner.execution import Backend
from function_runner.manifest import find_pipeline, load_pipeline
from function_runner.process_backend import ProcessBackend, ProcessWorker
from function_runner.warm import WarmWorker
from tests.function_runner.contract import RunnerContract
from tests.support.runner import TEST_PIPELINES


class TestProcessBackend(RunnerContract):
    def make_backend(self, config: RunnerConfig) -> Backend:
        return ProcessBackend(config)

    def worker_is_gone(self, worker: WarmWorker) -> bool:
        assert isinstance(worker, ProcessWorker)
        return worker.process.poll() is not None


def test_a_pipeline_virtualenv_is_preferred_to_the_configured_python(config: RunnerConfig, tmp_path: Path) -> None:
    backend = ProcessBackend(config)
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    assert backend.command(pipeline) == [config.python, "main.py"]
    copy = tmp_path / "pipelines" / "contract-probe"
    shutil.copytree(pipeline.folder, copy)
    (copy / ".venv" / "bin").mkdir(parents=True)
    (copy / ".venv" / "bin" / "python").symlink_to(sys.executable)
    assert backend.command(load_pipeline(copy)) == [str(copy / ".venv" / "bin" / "python"), "main.py"]
