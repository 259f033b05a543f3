"""tasks.shots.generate on the worker: run each planned step's pipeline (or template, on ComfyUI), commit its take,
hand back the target's."""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
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
from server.generation.template_step import comfyui_runner, planned_template, run_template
from server.graph.catalogue import PRIMITIVE_SOCKETS
from server.graph.plan import InputSource, PipelineKind, ResolvedInput, Step
from server.jobs.context import JobContext
from server.jobs.kinds import JobKind
from server.jobs.lifecycle import JobSuccess, JobTimeout
from server.projects.paths import existing_file
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

    def inputs(self, spec: GenerationSpec) -> list[str]:
        """Every file a step reads from the project (uploads, asset images, takes); what a step makes is its own."""
        files: set[str] = set()
        for step in spec.steps:
            for item in step.inputs:
                if item.source in (InputSource.PIPELINE, InputSource.STEP) or _is_value(item):
                    continue
                files.update(str(path) for path in (item.value if isinstance(item.value, list) else [item.value]))
        return sorted(files)

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
        started = utcnow()
        if step.pipeline.kind is PipelineKind.TEMPLATE:
            ran = self._run_template(context, step, produced, on_progress)
        else:
            ran = self._run_pipeline(context, step, produced, on_progress)
        try:
            context.check_cancelled()
            sidecar = {
                "node_id": step.node_id,
                "task_id": context.task_id,
                "cache_key": step.cache_key,
                "pipeline": {
                    "id": step.pipeline.pipeline_id,
                    "version": step.pipeline.version,
                    "image": step.pipeline.image,
                    "image_digest": step.pipeline.image_digest,
                    "backend": ran.backend,
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
                    "run_seconds": round(ran.duration_s, 3),
                },
                "output": {"name": ran.output, "media": ran.media},
                **ran.sidecar,
            }
            return commit_take(context.repo, spec.slots[step.node_id], ran.path, sidecar, context.author)
        finally:
            shutil.rmtree(ran.job_dir, ignore_errors=True)  # the take holds the output now; inputs were copies

    def _run_pipeline(
        self, context: JobContext, step: Step, produced: dict[str, Take], on_progress: Callable[[RunProgress], None]
    ) -> _StepRun:
        assert step.pipeline is not None
        runner = self.runners.for_pipeline(step.pipeline.pipeline_id)
        pipeline = runner.pipeline(step.pipeline.pipeline_id)
        declared = {port.name for port in pipeline.manifest.inputs}
        inputs = _host_inputs(context.repo.root, step, produced, declared)
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
        output = next((port.name for port in pipeline.manifest.outputs if port.name in result.outputs), None)
        if output is None:
            shutil.rmtree(result.job_dir, ignore_errors=True)
            raise StudioError(f"Pipeline '{pipeline.id}' returned no output.")
        # What ran, as a generative pipeline reports it (weights hash, library versions, call arguments).
        media = {k: v for k, v in result.metadata.items() if k != "provenance"}
        provenance = result.metadata.get("provenance")
        sidecar = {"model": provenance} if provenance is not None else {}
        return _StepRun(
            output, result.outputs[output], media, result.backend, result.duration_s, result.job_dir, sidecar
        )

    def _run_template(
        self, context: JobContext, step: Step, produced: dict[str, Take], on_progress: Callable[[RunProgress], None]
    ) -> _StepRun:
        runner = comfyui_runner(self.settings)
        template = planned_template(self.settings, context.repo.root, step)
        declared = {port.name for port in template.manifest.inputs}
        inputs = _host_inputs(context.repo.root, step, produced, declared)
        run = run_template(runner, template, inputs, step, on_progress, context.token)
        output = template.manifest.outputs[0].name  # the runner fetched every output or failed saying which
        comfyui = {
            "prompt_id": run.prompt_id,
            "workflow": run.prompt,
            "uploads": run.uploads,
            "comfyui_version": run.comfyui_version,
        }
        return _StepRun(output, run.outputs[output], {}, "comfyui", run.duration_s, run.job_dir, {"comfyui": comfyui})


@dataclass(frozen=True)
class _StepRun:
    """What a step's run made, whichever runner ran it: the output its take is, and where to clean up."""

    output: str
    path: Path
    media: dict[str, Any]
    backend: str
    duration_s: float
    job_dir: Path
    sidecar: dict[str, Any]  # runner-specific sidecar sections


def _host_inputs(root: Path, step: Step, produced: dict[str, Take], declared: set[str]) -> dict[str, Any]:
    """The step's inputs as the runner takes them: values, or files by host path. Inputs are named relative to the
    project; only this worker knows its checkout, and a STEP input is the take an earlier step of this run made."""
    inputs: dict[str, Any] = {}
    for item in step.inputs:
        if item.name not in declared or item.source is InputSource.PIPELINE:
            continue
        if _is_value(item):
            inputs[item.name] = item.value
        elif item.source in (InputSource.WIDGET, InputSource.DEFAULT):
            inputs[item.name] = str(existing_file(root, str(item.value)))  # an upload
        elif item.source is InputSource.STEP:
            inputs[item.name] = str(existing_file(root, produced[str(item.value)].path))
        elif isinstance(item.value, list):
            inputs[item.name] = [str(existing_file(root, p)) for p in item.value]
        else:
            inputs[item.name] = str(existing_file(root, str(item.value)))
    return inputs


def _is_value(item: ResolvedInput) -> bool:
    """A typed value the pipeline gets as it is; every other input names a file of the project."""
    return item.source in (InputSource.WIDGET, InputSource.DEFAULT) and item.socket_type in PRIMITIVE_SOCKETS


def _recorded(item: ResolvedInput) -> dict[str, Any]:
    """An input as the take's sidecar keeps it: a typed value, or a file with the hash of its content."""
    if item.source is InputSource.DEFAULT or _is_value(item):
        return {"value": item.value}
    return {"path": str(item.value), "sha256": item.content_hash}


def _scaled(context: JobContext, index: int, steps: int) -> Callable[[RunProgress], None]:
    """Progress of step `index` of `steps`, reported as the whole task's 0-100."""

    def report(event: RunProgress) -> None:
        context.progress((index * 100 + event.progress) / steps, event.step or "")

    return report
