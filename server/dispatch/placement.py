"""Where a generation runs, decided once (PRD §7.2): the pipelines its plan uses, the queue of the VRAM tier the
heaviest needs, and whether it falls back to a smaller tier or waits for a big enough worker. The worker runs the
plan and placement stored with the task; it decides nothing again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict

from schemas.models.pipeline_manifest import PipelineManifest
from schemas.models.project_manifest import HardwarePolicy
from server.dispatch.capabilities import (
    COMFYUI_QUEUE,
    CPU_QUEUE,
    VRAM_TIERS_GB,
    comfyui_queue,
    gpu_queue,
    vram_fits,
)
from server.dispatch.registry import WorkerRecord
from server.errors import ConflictError
from server.graph.compiler import CompileContext, compile_node
from server.graph.plan import ExecutionPlan, PipelineKind


class NoWorkerForTemplateError(ConflictError):
    code = "no_worker_for_template"


class Placement(BaseModel):
    """The decision, as the task keeps it and the API shows it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pipeline_id: str  # the target node's pipeline
    quality_requested: str
    quality_used: str  # the tier its pipeline was chosen from: differs after a fallback ("cpu" included)
    queue: str
    vram_gb: float  # what the heaviest step of the plan needs (0 on the CPU)
    # PRD §7.2: a sentence for the user when the requested quality could not be had.
    fallback: str | None = None
    # Set when the task waits for a worker big enough (policy "queue").
    waiting_for: str | None = None

    @property
    def reason(self) -> str:
        """Why the task goes where it goes, in a sentence."""
        needs = f"needs {self.vram_gb:g} GB of VRAM" if self.vram_gb else "runs on the CPU"
        return " ".join(filter(None, (f"'{self.pipeline_id}' {needs}: queue {self.queue}.", self.fallback)))


def vram_needed_gb(manifest: PipelineManifest | None, quality: str | None) -> float:
    """The VRAM the manifest declares for `quality` (or its largest declared need); 0 for CPU pipelines."""
    if manifest is None or not manifest.resources.gpu:
        return 0.0
    declared = manifest.resources.min_vram_gb
    needs = {k: v for k, v in (declared.model_dump() if declared else {}).items() if v is not None}
    if quality in needs:
        return float(needs[quality])
    return float(max(needs.values(), default=VRAM_TIERS_GB[-1]))


def queue_for(needed_gb: float) -> str:
    """The smallest VRAM tier queue that holds `needed_gb` (the largest tier for needs beyond it)."""
    if needed_gb == 0:
        return CPU_QUEUE
    fitting = [tier for tier in sorted(VRAM_TIERS_GB) if vram_fits(needed_gb, tier)]
    return gpu_queue(fitting[0] if fitting else max(VRAM_TIERS_GB))


def place(
    graph: Any, node_id: str, context: CompileContext, policy: HardwarePolicy, workers: Sequence[WorkerRecord]
) -> tuple[ExecutionPlan, Placement]:
    """Compile `node_id` and place it on the live `workers`. Policy fallback: quality-map choices skip pipelines no
    live worker can hold (the compiler falls back to a smaller tier); policy queue: the requested tier, waiting if
    need be. A plan with template steps goes to a worker whose ComfyUI has every node class they use."""
    quality = context.quality.value
    live_vram_gb = max((w.max_vram_gb for w in workers), default=0.0)
    if policy is HardwarePolicy.fallback:
        context = replace(context, fits=lambda m: vram_fits(vram_needed_gb(m, quality), live_vram_gb))
    plan = compile_node(graph, node_id, context)  # raises a 422-mapped error naming what is wrong
    chosen = [s.pipeline for s in plan.steps if s.pipeline is not None]
    manifests = [context.catalogue.pipelines[p.pipeline_id] for p in chosen if p.kind is PipelineKind.MANIFEST]
    templates = [context.catalogue.templates[p.pipeline_id] for p in chosen if p.kind is PipelineKind.TEMPLATE]
    heaviest = max(manifests, key=lambda m: vram_needed_gb(m, quality), default=None)
    needed = vram_needed_gb(heaviest, quality)
    target = plan.steps[-1].pipeline
    assert target is not None, "a plan's target runs a pipeline"
    waiting = _waiting_for(heaviest, needed, live_vram_gb)
    queue = queue_for(needed)
    if templates:
        queue, waiting = _comfyui_placement(frozenset().union(*(t.node_classes for t in templates)), workers, policy)
    return plan, Placement(
        pipeline_id=target.pipeline_id,
        quality_requested=quality,
        quality_used=target.used_quality or quality,
        queue=queue,
        vram_gb=needed,
        fallback=target.fallback,
        waiting_for=waiting,
    )


def place_pipeline(
    manifest: PipelineManifest, quality: str, policy: HardwarePolicy, workers: Sequence[WorkerRecord]
) -> Placement:
    """Place one pipeline that has no smaller stand-in (a LoRA training): the queue of the tier it needs; when no live
    worker holds it, policy queue waits for one, policy fallback runs it on the CPU tier (slowly, and says so)."""
    needed = vram_needed_gb(manifest, quality)
    live_vram_gb = max((w.max_vram_gb for w in workers), default=0.0)
    waiting = _waiting_for(manifest, needed, live_vram_gb)
    if waiting and policy is HardwarePolicy.fallback:
        return Placement(
            pipeline_id=manifest.id,
            quality_requested=quality,
            quality_used="cpu",
            queue=CPU_QUEUE,
            vram_gb=0.0,
            fallback=f"No online worker has the {needed:g} GB of VRAM '{manifest.id}' needs, so it runs on the CPU "
            "(much slower); start a GPU worker, or set the project's hardware policy to queue to wait for one.",
        )
    return Placement(
        pipeline_id=manifest.id,
        quality_requested=quality,
        quality_used=quality,
        queue=queue_for(needed),
        vram_gb=needed,
        waiting_for=waiting,
    )


def _waiting_for(heaviest: PipelineManifest | None, needed: float, live_vram_gb: float) -> str | None:
    if heaviest is None or vram_fits(needed, live_vram_gb):
        return None
    return (
        f"Waiting for a worker with at least {needed:g} GB of VRAM for '{heaviest.id}': none is online "
        "now. The task runs as soon as one appears."
    )


def _comfyui_placement(
    node_classes: frozenset[str], workers: Sequence[WorkerRecord], policy: HardwarePolicy
) -> tuple[str, str | None]:
    """The queue of a live worker whose ComfyUI has every one of `node_classes` (and no waiting); else, under
    policy queue, the shared ComfyUI queue with a sentence naming what no worker has; under fallback, a refusal
    (there is nothing smaller to fall back to)."""
    comfyui = [w for w in workers if w.comfyui_node_classes is not None]
    able = [w for w in comfyui if node_classes <= set(w.comfyui_node_classes or ())]
    if able:
        return comfyui_queue(min(able, key=lambda w: w.worker_id).host), None
    if comfyui:
        closest = min(comfyui, key=lambda w: len(node_classes - set(w.comfyui_node_classes or ())))
        missing = sorted(node_classes - set(closest.comfyui_node_classes or ()))
        why = (
            f"no online worker's ComfyUI has the node class(es) {', '.join(missing[:8])} (the closest, on "
            f"{closest.host}, lacks them); install the custom nodes that provide them there and restart that worker"
        )
    else:
        why = "no worker with a ComfyUI (STUDIO_COMFYUI_URL) is online; start one"
    if policy is HardwarePolicy.fallback:
        raise NoWorkerForTemplateError(f"This template cannot run now: {why}.", field="node_id")
    return COMFYUI_QUEUE, f"Waiting for a ComfyUI worker: {why}. The task runs as soon as one takes it."
