"""tasks.shots.generate on the worker: run each planned step's pipeline, commit its take, hand back the target's."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable
from typing import Any

from function_runner.errors import EngineUnavailableError
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest
from schemas.models.ws_events import ServerTakesUpdated
from server.config import Settings
from server.db.tables import utcnow
from server.errors import StudioError
from server.generation.runtime import PipelineRunners
from server.generation.spec import GenerationSpec
from server.graph.compiler import PRIMITIVE_SOCKETS
from server.graph.plan import InputSource, ResolvedInput, Step
from server.jobs.context import JobContext
from server.jobs.kinds import JobKind
from server.jobs.lifecycle import JobSuccess, JobTimeout
from server.projects.files import resolve_project_file
from server.takes.store import Take, commit_take, list_takes
from server.takes.summary import take_summary


class GenerateShot:
    kind = JobKind.GENERATE_SHOT
    spec_type = GenerationSpec
    noun = "generation"

    def __init__(self, settings: Settings, runners: PipelineRunners, served_queues: str) -> None:
        self.settings = settings
        self.runners = runners
        self.served_queues = served_queues

    def timeout(self) -> JobTimeout:
        return JobTimeout(
            self.settings.generate_timeout_s, "STUDIO_GENERATE_TIMEOUT_S", "choose a lighter pipeline or quality"
        )

    def run(self, context: JobContext, spec: GenerationSpec) -> JobSuccess:
        produced: dict[str, Take] = {}
        for index, step in enumerate(spec.steps):
            context.check_cancelled()
            progress = _scaled(context, index, len(spec.steps))
            produced[step.node_id] = self._run_step(context, spec, step, produced, progress)
        target = spec.target.node_id
        project_id = context.project.id
        takes = [take_summary(project_id, t) for t in list_takes(context.repo.root, spec.slots[target])]
        return JobSuccess(
            output_path=produced[target].path,
            take=take_summary(project_id, produced[target]),
            announcements=(ServerTakesUpdated(node_id=target, takes=takes),),
        )

    def _run_step(
        self,
        context: JobContext,
        spec: GenerationSpec,
        step: Step,
        produced: dict[str, Take],
        on_progress: Callable[[RunProgress], None],
    ) -> Take:
        assert step.pipeline is not None, "the service refuses steps without a pipeline"
        runner = self.runners.for_pipeline(step.pipeline.pipeline_id)
        pipeline = runner.pipeline(step.pipeline.pipeline_id)
        declared = {port.name for port in pipeline.manifest.inputs}
        # Inputs are named relative to the project; the runner copies files by host path, which only this
        # worker knows (its checkout), and a STEP input is the take an earlier step of this run made.
        root = context.repo.root
        inputs: dict[str, Any] = {}
        for item in step.inputs:
            if item.name not in declared or item.source is InputSource.PIPELINE:
                continue
            if item.source in (InputSource.WIDGET, InputSource.DEFAULT) and item.socket_type in PRIMITIVE_SOCKETS:
                inputs[item.name] = item.value
            elif item.source in (InputSource.WIDGET, InputSource.DEFAULT):
                inputs[item.name] = str(resolve_project_file(root, str(item.value)))  # an upload
            elif item.source is InputSource.STEP:
                inputs[item.name] = str(root / produced[str(item.value)].path)
            elif isinstance(item.value, list):
                inputs[item.name] = [str(root / p) for p in item.value]
            else:
                inputs[item.name] = str(root / str(item.value))
        started = utcnow()
        try:
            result = runner.run(
                pipeline.id,
                RunRequest(inputs=inputs, params=step.params, seed=step.seed),
                on_progress=on_progress,
                token=context.token,
            )
        except EngineUnavailableError:
            self.runners.reset()  # the next task detects the engine again
            raise
        try:
            output = next((port.name for port in pipeline.manifest.outputs if port.name in result.outputs), None)
            if output is None:
                raise StudioError(f"Pipeline '{pipeline.id}' returned no output.")
            context.check_cancelled()
            sidecar = {
                "node_id": step.node_id,
                "task_id": context.task_id,
                "cache_key": step.cache_key,
                "pipeline": {
                    "id": pipeline.id,
                    "version": pipeline.manifest.version,
                    "image": pipeline.manifest.image,
                    "image_digest": step.pipeline.image_digest,
                    "backend": result.backend,
                },
                "params": step.params,
                "seed": step.seed,
                "inputs": {i.name: _recorded(i) for i in step.inputs if i.source is not InputSource.PIPELINE},
                "quality": {
                    "requested": spec.placement.quality_requested,
                    "used": step.pipeline.used_quality or spec.placement.quality_requested,
                    "fallback_reason": step.pipeline.fallback,
                },
                "worker": {"host": socket.gethostname(), "gpu": None, "queue": self.served_queues},
                "timings": {
                    "queued_at": context.queued_at.isoformat(),
                    "started_at": started.isoformat(),
                    "finished_at": utcnow().isoformat(),
                    "run_seconds": round(result.duration_s, 3),
                },
                "output": {"name": output, "media": result.metadata},
            }
            return commit_take(context.repo, spec.slots[step.node_id], result.outputs[output], sidecar, context.author)
        finally:
            shutil.rmtree(result.job_dir, ignore_errors=True)  # the take holds the output now; inputs were copies


def _recorded(item: ResolvedInput) -> dict[str, Any]:
    """An input as the take's sidecar keeps it: a typed value, or a file with the hash of its content."""
    if item.source is InputSource.DEFAULT or (
        item.source is InputSource.WIDGET and item.socket_type in PRIMITIVE_SOCKETS
    ):
        return {"value": item.value}
    return {"path": str(item.value), "sha256": item.content_hash}


def _scaled(context: JobContext, index: int, steps: int) -> Callable[[RunProgress], None]:
    """Progress of step `index` of `steps`, reported as the whole task's 0-100."""

    def report(event: RunProgress) -> None:
        context.progress((index * 100 + event.progress) / steps, event.step or "")

    return report
