"""Warm instances: one long-lived process or container per (pipeline, GPU) that serves queued jobs.

Jobs of a warm pipeline live in its own root, `<jobs_dir>/warm/<key>/` (the only directory its
container can write, mounted at /jobs). The instance (sdk.run with `load=`) watches `<root>/.queue/`;
a job is queued by creating an entry named after its job dir. The instance writes the job's stdout
and stderr to `<job>/ctl/` and finally `<job>/ctl/exit.json`, so the runner sees progress and exit
exactly as for a cold run.
"""

from __future__ import annotations

import json
import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from pathlib import Path

from function_runner.config import RunnerConfig
from function_runner.errors import RunnerError
from function_runner.execution import Backend, Execution, LineSplitter, Outcome, tail
from function_runner.jobs import give_to_pipeline, reset_outputs
from function_runner.sdk import CONTROL_DIR

POLL_S = 0.005


class WarmInstance(ABC):
    def __init__(self, key: str) -> None:
        self.key = key
        self.lock = threading.Lock()  # one job at a time per instance
        self.last_used = time.monotonic()

    @abstractmethod
    def alive(self) -> bool: ...

    @abstractmethod
    def log_tail(self, lines: int) -> str:
        """The instance's own output (model loading happens before any job has a log)."""

    @abstractmethod
    def stop(self) -> None:
        """Kill the instance (and its model); idempotent."""


QUEUE_DIR = ".queue"


def warm_root(jobs_dir: Path, pipeline_id: str, gpu: str | None) -> Path:
    """Where the runner creates the job dirs of a warm pipeline."""
    return jobs_dir / "warm" / instance_key(pipeline_id, gpu)


def instance_key(pipeline_id: str, gpu: str | None) -> str:
    return f"{pipeline_id}.gpu{gpu}" if gpu is not None else pipeline_id


def serve_job(instance: WarmInstance, execution: Execution, queue: Path, tail_lines: int, user: str) -> Outcome:
    """Queue one prepared job to a running instance and follow it to its end."""
    control = execution.job_dir / CONTROL_DIR
    control.mkdir(exist_ok=True)
    give_to_pipeline(control, user)
    stdout_log, stderr_log, status = control / "stdout.log", control / "stderr.log", control / "exit.json"
    for stale in (stdout_log, stderr_log, status):
        stale.unlink(missing_ok=True)
    splitter = LineSplitter(execution.on_line)
    offset = 0

    def pump() -> None:
        nonlocal offset
        if stdout_log.exists():
            with stdout_log.open("rb") as handle:
                handle.seek(offset)
                chunk = handle.read()
            offset += len(chunk)
            splitter.feed(chunk)

    def stderr_tail() -> str:
        text = stderr_log.read_text(encoding="utf-8", errors="replace") if stderr_log.exists() else ""
        return tail(deque(text.splitlines(), maxlen=tail_lines))

    killed = threading.Event()

    def on_cancel() -> None:
        killed.set()
        instance.stop()

    execution.token.on_cancel(on_cancel)
    (queue / execution.job_dir.name).touch()
    deadline = time.monotonic() + execution.timeout_s
    next_liveness = 0.0
    while True:
        pump()
        if status.exists():
            pump()
            splitter.flush()
            exit_code = int(json.loads(status.read_text(encoding="utf-8"))["exit_code"])
            instance.last_used = time.monotonic()
            return Outcome(exit_code=exit_code, stderr_tail=stderr_tail())
        if killed.is_set():
            return Outcome(exit_code=-9, stderr_tail=stderr_tail(), cancelled=True)
        now = time.monotonic()
        if now > deadline:
            instance.stop()
            return Outcome(exit_code=-9, stderr_tail=stderr_tail(), timed_out=True)
        if now >= next_liveness:
            next_liveness = now + 0.1
            if not instance.alive():
                (queue / execution.job_dir.name).unlink(missing_ok=True)
                reason = stderr_tail() or instance.log_tail(tail_lines)
                return Outcome(exit_code=-1, stderr_tail=reason, instance_lost=True)
        time.sleep(POLL_S)


class WarmPool:
    """Live instances by key; starts missing or dead ones, stops idle ones."""

    def __init__(self, idle_s: float) -> None:
        self._idle_s = idle_s
        self._instances: dict[str, WarmInstance] = {}
        self._lock = threading.Lock()
        self._reaper: threading.Thread | None = None
        self._closed = threading.Event()

    def acquire(self, key: str, start: Callable[[], WarmInstance]) -> WarmInstance:
        with self._lock:
            instance = self._instances.get(key)
            if instance is None or not instance.alive():
                if instance is not None:
                    instance.stop()
                instance = start()
                self._instances[key] = instance
            self._start_reaper()
            return instance

    def discard(self, instance: WarmInstance) -> None:
        with self._lock:
            if self._instances.get(instance.key) is instance:
                del self._instances[instance.key]
        instance.stop()

    def reap_idle(self) -> int:
        now = time.monotonic()
        stopped = 0
        with self._lock:
            for key, instance in list(self._instances.items()):
                if now - instance.last_used >= self._idle_s and instance.lock.acquire(blocking=False):
                    try:
                        instance.stop()
                    finally:
                        instance.lock.release()
                    del self._instances[key]
                    stopped += 1
        return stopped

    def instances(self) -> dict[str, WarmInstance]:
        with self._lock:
            return dict(self._instances)

    def close(self) -> None:
        self._closed.set()
        with self._lock:
            instances, self._instances = list(self._instances.values()), {}
        for instance in instances:
            instance.stop()

    def _start_reaper(self) -> None:
        if self._reaper is None:
            self._reaper = threading.Thread(target=self._reap_forever, name="warm-reaper", daemon=True)
            self._reaper.start()

    def _reap_forever(self) -> None:
        interval = max(0.05, min(1.0, self._idle_s / 4))
        while not self._closed.wait(interval):
            self.reap_idle()


def run_warm(
    pool: WarmPool,
    execution: Execution,
    start: Callable[[str, Path], WarmInstance],
    reset_job: Callable[[], None],
    config: RunnerConfig,
) -> Outcome:
    """Run on the warm instance; an instance that dies under the job is replaced and the job retried once."""
    key = instance_key(execution.pipeline.id, execution.gpu)
    root = execution.job_dir.parent
    if root.name != key:
        raise RunnerError(
            f"Pipeline '{execution.pipeline.id}': job dir {execution.job_dir} is not in its warm root "
            f"(…/warm/{key}/); create jobs with FunctionRunner.run.",
            pipeline_id=execution.pipeline.id,
        )
    queue = root / QUEUE_DIR
    queue.mkdir(parents=True, exist_ok=True)
    for folder in (root, queue):  # the instance takes entries out of the queue and writes into the jobs
        give_to_pipeline(folder, config.user, with_contents=False)
    outcome = Outcome(exit_code=-1, stderr_tail="")
    for attempt in range(2):
        instance = pool.acquire(key, lambda: start(key, root))
        with instance.lock:
            instance.last_used = time.monotonic()
            outcome = serve_job(instance, execution, queue, config.stderr_tail_lines, config.user)
        if outcome.cancelled or outcome.timed_out:
            pool.discard(instance)
            return outcome
        if not outcome.instance_lost:
            return outcome
        pool.discard(instance)
        if attempt == 0:
            reset_job()
    return outcome


class PooledBackend(Backend):
    """A backend that serves `serve: true` pipelines from a pool of warm instances and runs the rest once."""

    def __init__(self, config: RunnerConfig) -> None:
        self.config = config
        self.pool = WarmPool(config.warm_idle_s)

    def execute(self, execution: Execution) -> Outcome:
        if execution.pipeline.serve:
            return run_warm(
                self.pool,
                execution,
                lambda key, root: self._start_instance(execution, key, root),
                lambda: reset_outputs(execution.job_dir, self.config.user),
                self.config,
            )
        return self._run_once(execution)

    @abstractmethod
    def _run_once(self, execution: Execution) -> Outcome: ...

    @abstractmethod
    def _start_instance(self, execution: Execution, key: str, root: Path) -> WarmInstance: ...

    def reap_idle(self) -> int:
        return self.pool.reap_idle()

    def close(self) -> None:
        self.pool.close()
