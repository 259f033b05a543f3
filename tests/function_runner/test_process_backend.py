"""The contract suite on the local-process backend."""

from __future__ import annotations

from function_runner.config import RunnerConfig
from function_runner.execution import Backend
from function_runner.process_backend import ProcessBackend, ProcessWorker
from function_runner.warm import WarmWorker
from tests.function_runner.contract import RunnerContract


class TestProcessBackend(RunnerContract):
    def make_backend(self, config: RunnerConfig) -> Backend:
        return ProcessBackend(config)

    def worker_is_gone(self, worker: WarmWorker) -> bool:
        assert isinstance(worker, ProcessWorker)
        return worker.process.poll() is not None
