"""FunctionRunner: validate a request, lay out the job dir, execute on a backend, check the result."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from function_runner.config import RunnerConfig
from function_runner.errors import (
    PipelineCancelledError,
    PipelineFailedError,
    PipelineTimeoutError,
)
from function_runner.execution import Backend, CancelToken, Execution, Outcome, tail
from function_runner.jobs import parse_progress, prepare_job, read_result
from function_runner.manifest import Pipeline, discover_pipelines, find_pipeline
from function_runner.warm import warm_root
from function_runner.weights import require_weights
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest

ProgressCallback = Callable[[RunProgress], None]
STDOUT_TAIL_LINES = 5


_LABEL = re.compile(r"[A-Za-z0-9_-]{1,64}")


def job_prefix(pipeline_id: str, label: str | None) -> str:
    """The start of a job dir's name: the pipeline id, then the caller's label (letters, digits, '_' and '-')."""
    if label is not None and not _LABEL.fullmatch(label):
        raise ValueError(f"job label {label[:80]!r} is not 1-64 letters, digits, '_' or '-'")
    return f"{pipeline_id}-{label}-" if label else f"{pipeline_id}-"


@dataclass(frozen=True)
class CompletedRun:
    """A run that honoured the contract: its checked outputs (host paths inside the job's out/) and how it ran.
    The job folder is the caller's to remove once the outputs are taken (a failed run's is removed here)."""

    pipeline_id: str
    job_dir: Path
    outputs: dict[str, Path]
    metadata: dict[str, Any]
    backend: str
    duration_s: float


class FunctionRunner:
    """The public entry: `run(pipeline_id, request)` on the backend it was built with."""

    def __init__(self, config: RunnerConfig, backend: Backend) -> None:
        self.config = config
        self.backend = backend

    def pipelines(self) -> list[Pipeline]:
        return discover_pipelines(self.config.pipelines_dir)

    def pipeline(self, pipeline_id: str) -> Pipeline:
        return find_pipeline(self.config.pipelines_dir, pipeline_id)

    def job_dirs_of(self, pipeline_id: str, label: str) -> list[Path]:
        """The job dirs earlier runs of `label` left (a run whose process was killed never removed its own)."""
        return sorted(self.config.jobs_dir.resolve().glob(f"{job_prefix(pipeline_id, label)}*"))

    def new_job_dir(self, pipeline: Pipeline, gpu: str | None = None, label: str | None = None) -> Path:
        jobs_dir = self.config.jobs_dir.resolve()
        parent = warm_root(jobs_dir, pipeline.id, gpu) if pipeline.serve else jobs_dir
        parent.mkdir(parents=True, exist_ok=True)
        job_dir = parent / f"{job_prefix(pipeline.id, label)}{uuid.uuid4().hex[:12]}"
        job_dir.mkdir()
        return job_dir

    def run(
        self,
        pipeline_id: str,
        request: RunRequest,
        *,
        on_progress: ProgressCallback | None = None,
        token: CancelToken | None = None,
        gpu: str | None = None,
        label: str | None = None,
    ) -> CompletedRun:
        """Run one invocation in a new job dir; `label` (e.g. a task id) starts its name, so that a caller can find
        what an earlier run of the same label left behind when its process was killed (job_dirs_of)."""
        pipeline = self.pipeline(pipeline_id)
        require_weights(pipeline.manifest, self.config.model_store)  # before any job dir or launch
        job_dir = self.new_job_dir(pipeline, gpu, label)
        try:
            return self._run(pipeline, request, job_dir, on_progress, token, gpu)
        except BaseException:
            shutil.rmtree(job_dir, ignore_errors=True)  # inputs are copies of user media: nothing stays behind
            raise

    def _run(
        self,
        pipeline: Pipeline,
        request: RunRequest,
        job_dir: Path,
        on_progress: ProgressCallback | None,
        token: CancelToken | None,
        gpu: str | None,
    ) -> CompletedRun:
        prepare_job(pipeline, request, job_dir, self.config.user, sfw_threshold=self.config.sfw_threshold)
        stdout: deque[str] = deque(maxlen=STDOUT_TAIL_LINES)

        def on_line(line: str) -> None:
            event = parse_progress(line)
            if event is None:
                stdout.append(line[:200])
            elif on_progress is not None:
                on_progress(event)

        started = time.monotonic()
        outcome = self.backend.execute(
            Execution(
                pipeline=pipeline,
                job_dir=job_dir,
                on_line=on_line,
                token=token or CancelToken(),
                timeout_s=float(pipeline.timeout_s),
                gpu=gpu,
            )
        )
        duration = time.monotonic() - started
        self._raise_for(pipeline, outcome)
        outputs, metadata = read_result(pipeline, job_dir, tail(stdout))
        return CompletedRun(
            pipeline_id=pipeline.id,
            job_dir=job_dir,
            outputs=outputs,
            metadata=metadata,
            backend=self.backend.name,
            duration_s=duration,
        )

    def _raise_for(self, pipeline: Pipeline, outcome: Outcome) -> None:
        if outcome.timed_out:
            raise PipelineTimeoutError(
                f"Pipeline '{pipeline.id}' ran longer than its timeout_s of {pipeline.timeout_s} s and was "
                "killed. Raise timeout_s in pipeline.json or give it less work.",
                pipeline_id=pipeline.id,
            )
        if outcome.cancelled:
            raise PipelineCancelledError(f"Pipeline '{pipeline.id}' was cancelled.", pipeline_id=pipeline.id)
        if outcome.instance_lost:
            raise PipelineFailedError(
                f"Pipeline '{pipeline.id}': its warm instance died twice (while loading or serving this job). "
                f"Last stderr: {outcome.stderr_tail or '(empty)'}. Check the model loads and fits in memory.",
                pipeline_id=pipeline.id,
                exit_code=outcome.exit_code,
                stderr_tail=outcome.stderr_tail,
            )
        if outcome.exit_code != 0:
            raise PipelineFailedError(
                f"Pipeline '{pipeline.id}' failed with exit code {outcome.exit_code}. "
                f"Last stderr: {outcome.stderr_tail or '(empty)'}",
                pipeline_id=pipeline.id,
                exit_code=outcome.exit_code,
                stderr_tail=outcome.stderr_tail,
            )

    def close(self) -> None:
        self.backend.close()
