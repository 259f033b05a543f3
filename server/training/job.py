"""tasks.assets.train_lora on the worker: run the training pipeline on the asset's reference images, then commit its
LoRA, sample and sidecar as the asset's next version (nothing at all when it was cancelled or failed). A task
redelivered after its worker died resumes from the newest checkpoint its killed run left on this host."""

from __future__ import annotations

import json
import shutil
import socket
import struct
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from function_runner.runner import CompletedRun
from schemas.models.asset import ReferenceImage
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest
from server.assets.documents import find_asset
from server.assets.versions import commit_version
from server.config import Settings
from server.db.tables import utcnow
from server.generation.runtime import PipelineRunners
from server.jobs.context import JobContext
from server.jobs.kinds import JobKind
from server.jobs.lifecycle import JobSuccess, JobTimeout
from server.projects.paths import existing_file
from server.training.spec import TrainingSpec


class TrainLora:
    kind = JobKind.TRAIN_LORA
    spec_type = TrainingSpec
    noun = "training"

    def __init__(self, settings: Settings, runners: PipelineRunners) -> None:
        self.settings = settings
        self.runners = runners

    def timeout(self) -> JobTimeout:
        return JobTimeout(self.settings.train_timeout_s, "STUDIO_TRAIN_TIMEOUT_S", "train fewer steps")

    def inputs(self, spec: TrainingSpec) -> None:
        """Every file: the dataset is read from the asset's folder when the job runs (a stateless worker fetches
        all)."""
        return None

    def run(self, context: JobContext, spec: TrainingSpec) -> JobSuccess:
        root = context.repo.root
        stored = find_asset(root, spec.asset_id)
        dataset = stored.asset.reference_images
        images = [str(existing_file(root, stored.path(image.file))) for image in dataset]
        params = {
            **spec.params,
            "trigger_word": stored.asset.trigger_word,
            "captions": [image.caption or "" for image in dataset],
        }
        pipeline_id = spec.placement.pipeline_id
        runner = self.runners.for_pipeline(pipeline_id)
        started = utcnow()
        left_behind = runner.job_dirs_of(pipeline_id, context.task_id)
        resume = _newest_checkpoint(left_behind)
        inputs: dict[str, Any] = {"images": images, **({"resume": str(resume)} if resume else {})}

        def on_progress(event: RunProgress) -> None:
            context.progress(event.progress, event.step or "", event.metrics)

        result = runner.run(
            pipeline_id,
            RunRequest(inputs=inputs, params=params, seed=spec.seed),
            on_progress=on_progress,
            token=context.token,
            label=context.task_id,
        )
        for job_dir in left_behind:  # the killed runs' dirs: their checkpoint is in this run now
            shutil.rmtree(job_dir, ignore_errors=True)
        try:
            context.check_cancelled()
            version_of_pipeline = runner.pipeline(pipeline_id).manifest.version
            sidecar = _sidecar(context, spec, params, dataset, result, version_of_pipeline, started)
            stored, version = commit_version(
                context.repo,
                spec.asset_id,
                result.outputs["lora"],
                result.outputs["sample"],
                sidecar,
                context.task_id,
                spec.base_model,
                context.author,
            )
        finally:
            shutil.rmtree(result.job_dir, ignore_errors=True)  # the version holds what is kept
        return JobSuccess(output_path=stored.path(version.file))


def _sidecar(
    context: JobContext,
    spec: TrainingSpec,
    params: dict[str, Any],
    dataset: Sequence[ReferenceImage],
    result: CompletedRun,
    pipeline_version: str,
    started: datetime,
) -> dict[str, Any]:
    """The version's provenance: base model and its hash, hyper-parameters, dataset hashes, loss, how it ran."""
    metadata = result.metadata
    model = metadata.get("provenance") or {}
    return {
        "task_id": context.task_id,
        "pipeline": {"id": spec.placement.pipeline_id, "version": pipeline_version},
        "backend": result.backend,
        "base_model": {"name": spec.base_model, "weights_sha256": model.get("weights_sha256")},
        "trigger_word": params["trigger_word"],
        "steps": params["steps"],
        "rank": params["rank"],
        "learning_rate": params["learning_rate"],
        "resolution": params["resolution"],
        "seed": spec.seed,
        "dataset": [
            {"file": image.file, "sha256": image.sha256, "caption": caption}
            for image, caption in zip(dataset, metadata.get("captions", []), strict=False)
        ],
        "loss": metadata.get("losses", []),
        "resumed_from_step": metadata.get("resumed_from_step", 0),
        "target_modules": metadata.get("target_modules"),
        "model": model,
        "quality": {"requested": spec.placement.quality_requested, "used": spec.placement.quality_used},
        "worker": {"host": socket.gethostname(), "queue": spec.placement.queue},
        "timings": {
            "queued_at": context.queued_at.isoformat(),
            "started_at": started.isoformat(),
            "finished_at": utcnow().isoformat(),
            "run_seconds": round(result.duration_s, 3),
        },
    }


CHECKPOINT = "out/checkpoint.safetensors"  # what train-lora pipelines write every `checkpoint_every` steps


def _newest_checkpoint(job_dirs: list[Path]) -> Path | None:
    """The checkpoint, among those killed runs left, at the highest step (a run killed before its first
    checkpoint left none)."""
    steps = {path: _step_of(path) for path in (d / CHECKPOINT for d in job_dirs) if path.is_file()}
    usable = [path for path, step in steps.items() if step > 0]
    return max(usable, key=lambda path: steps[path], default=None)


def _step_of(checkpoint: Path) -> int:
    """The step a checkpoint was taken at, from its safetensors header (8 bytes of length, then JSON)."""
    try:
        with checkpoint.open("rb") as file:
            (length,) = struct.unpack("<Q", file.read(8))
            metadata = json.loads(file.read(length)).get("__metadata__", {})
        return int(metadata.get("step", 0))
    except (OSError, ValueError, struct.error):
        return 0  # unreadable (cut short as its run was killed): not usable
