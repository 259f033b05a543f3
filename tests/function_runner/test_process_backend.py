"""The contract suite on the local-process backend."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from function_runner.config import RunnerConfig
from function_runner.execution import Backend
from function_runner.manifest import find_pipeline, load_pipeline
from function_runner.process_backend import SDK_ROOT, ProcessBackend, ProcessWorker
from function_runner.sdk import IO_ENV, RUNNER_PID_ENV, SERVE_QUEUE_ENV
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


def test_a_warm_worker_whose_runner_died_exits(tmp_path: Path) -> None:
    """A Celery worker killed outright (SIGKILL, OOM) cannot stop its warm workers: they notice and exit on their own
    rather than hold their model in memory forever."""
    queue = tmp_path / ".queue"
    queue.mkdir()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(SDK_ROOT), IO_ENV: str(tmp_path), SERVE_QUEUE_ENV: str(queue)}
    start_instance = (
        "import os, subprocess, sys, time; "
        f"env = {{**os.environ, '{RUNNER_PID_ENV}': str(os.getpid())}}; "
        "print(subprocess.Popen([sys.executable, 'main.py'], env=env, stdout=subprocess.DEVNULL).pid, flush=True); "
        "time.sleep(600)"
    )
    runner = subprocess.Popen(
        [sys.executable, "-c", start_instance],
        cwd=TEST_PIPELINES / "contract-warm",
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert runner.stdout is not None
    worker = int(runner.stdout.readline())
    try:
        assert _alive(worker)
        runner.kill()
        runner.wait()
        deadline = time.monotonic() + 20
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the orphaned warm worker still runs"
    finally:
        if _alive(worker):
            os.kill(worker, signal.SIGKILL)
        runner.stdout.close()


def _alive(pid: int) -> bool:
    """Running, not a zombie that no one has reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False
