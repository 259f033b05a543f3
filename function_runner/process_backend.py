"""Local-process backend: the pipeline's entrypoint as a subprocess (the embedded default, no Docker)."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import threading
import time
from collections import deque
from pathlib import Path
from typing import IO

from function_runner.execution import Execution, LineSplitter, Outcome, tail
from function_runner.manifest import Pipeline
from function_runner.resources import thread_env
from function_runner.sdk import IO_ENV, MODELS_ENV, RUNNER_PID_ENV, SERVE_QUEUE_ENV
from function_runner.stack_env import ensure_stack_env
from function_runner.stacks import Stack, load_stack
from function_runner.warm import QUEUE_DIR, PooledBackend, WarmInstance

SDK_ROOT = Path(__file__).resolve().parent.parent  # the folder that holds the function_runner package
# All a pipeline process sees of the runner's own environment: no STUDIO_ secrets, tokens or cloud keys.
INHERITED_ENV = ("PATH",)
logger = logging.getLogger(__name__)


class ProcessBackend(PooledBackend):
    name = "process"

    def command(self, pipeline: Pipeline) -> list[str]:
        """ "python3" in a manifest means the image's interpreter: here the virtualenv of the
        pipeline's stack (built on first use), else its own <pipeline>/.venv, else the configured one."""
        first, *rest = pipeline.entrypoint
        if first not in ("python", "python3"):
            return [first, *rest]
        stack = self._stack(pipeline)
        if stack is not None:
            config = self.config
            python = ensure_stack_env(config.stack_cache, stack, config.torch_variant, config.python, logger.info)
            return [str(python), *rest]
        own = pipeline.folder / ".venv" / "bin" / "python"
        return [str(own) if own.is_file() else self.config.python, *rest]

    def _stack(self, pipeline: Pipeline) -> Stack | None:
        name = pipeline.manifest.stack
        return load_stack(self.config.stack_recipes, name) if name else None

    def _python_path(self, pipeline: Pipeline) -> str:
        """The SDK, plus the modules of the pipeline's stack layers (the image has them in /opt/studio)."""
        stack = self._stack(pipeline)
        folders = [SDK_ROOT, *(layer.folder for layer in stack.chain() if layer.modules())] if stack else [SDK_ROOT]
        return os.pathsep.join(str(folder) for folder in folders)

    def environment(self, execution: Execution, io_dir: Path) -> dict[str, str]:
        scratch = io_dir / "tmp"
        scratch.mkdir(exist_ok=True)
        env = {
            **{name: os.environ[name] for name in INHERITED_ENV if name in os.environ},
            "LANG": "C.UTF-8",
            "PYTHONPATH": self._python_path(execution.pipeline),
            "PYTHONUNBUFFERED": "1",
            "PYTHONDONTWRITEBYTECODE": "1",  # no __pycache__ in the pipeline folder: writes stay in the job
            "HOME": str(scratch),
            "TMPDIR": str(scratch),
            IO_ENV: str(io_dir),
            MODELS_ENV: str(self.config.model_store),
            # A worker killed outright cannot stop its pipelines: they stop themselves (sdk.py).
            RUNNER_PID_ENV: str(os.getpid()),
            **thread_env(execution.pipeline),
        }
        if execution.gpu is not None:
            env["CUDA_VISIBLE_DEVICES"] = execution.gpu
        return env

    def _run_once(self, execution: Execution) -> Outcome:
        process = subprocess.Popen(
            self.command(execution.pipeline),
            cwd=execution.pipeline.folder,
            env=self.environment(execution, execution.job_dir),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # so a kill takes the pipeline's own children with it
        )
        assert process.stdout is not None and process.stderr is not None
        stderr: deque[str] = deque(maxlen=self.config.stderr_tail_lines)
        readers = [
            threading.Thread(target=_pump, args=(process.stdout, LineSplitter(execution.on_line)), daemon=True),
            threading.Thread(target=_pump, args=(process.stderr, LineSplitter(stderr.append)), daemon=True),
        ]
        for reader in readers:
            reader.start()
        execution.token.on_cancel(lambda: _kill_group(process))
        deadline = time.monotonic() + execution.timeout_s
        timed_out = False
        while process.poll() is None:
            if time.monotonic() > deadline:
                timed_out = True
                _kill_group(process)
            try:
                process.wait(timeout=0.02)
            except subprocess.TimeoutExpired:
                continue
        for reader in readers:
            reader.join(timeout=5)
        return Outcome(
            exit_code=process.returncode,
            stderr_tail=tail(stderr),
            timed_out=timed_out,
            cancelled=execution.token.cancelled and not timed_out,
        )

    def _start_instance(self, execution: Execution, key: str, root: Path) -> WarmInstance:
        env = self.environment(execution, root)
        env[SERVE_QUEUE_ENV] = str(root / QUEUE_DIR)
        log = (root / "instance.log").open("ab")
        process = subprocess.Popen(
            self.command(execution.pipeline),
            cwd=execution.pipeline.folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        log.close()
        return WarmProcess(key, process, root / "instance.log")


class WarmProcess(WarmInstance):
    def __init__(self, key: str, process: subprocess.Popen[bytes], log: Path) -> None:
        super().__init__(key)
        self.process = process
        self.log = log

    def log_tail(self, lines: int) -> str:
        if not self.log.is_file():
            return ""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:]).strip()

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        _kill_group(self.process)
        self.process.wait()


def _pump(stream: IO[bytes], splitter: LineSplitter) -> None:
    for chunk in iter(lambda: stream.read1(65536), b""):  # type: ignore[attr-defined]
        splitter.feed(chunk)
    splitter.flush()
    stream.close()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
