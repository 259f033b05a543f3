"""Which queue a pipeline runs on, and whether the live workers can hold it (PRD §7.2)."""

from __future__ import annotations

from collections.abc import Callable

from schemas.models.pipeline_manifest import PipelineManifest
from server.dispatch.capabilities import CPU_QUEUE, TIER_MARGIN_GB, VRAM_TIERS_GB, gpu_queue


def vram_needed_gb(manifest: PipelineManifest, quality: str | None) -> float:
    """The VRAM the manifest declares for `quality` (or its largest declared need); 0 for CPU pipelines."""
    if not manifest.resources.gpu:
        return 0.0
    declared = manifest.resources.min_vram_gb
    needs = {k: v for k, v in (declared.model_dump() if declared else {}).items() if v is not None}
    if quality in needs:
        return float(needs[quality])
    return float(max(needs.values(), default=VRAM_TIERS_GB[-1]))


def queue_for(manifest: PipelineManifest, quality: str | None) -> str:
    """The smallest VRAM tier queue that holds the pipeline (the largest tier for needs beyond it)."""
    needed = vram_needed_gb(manifest, quality)
    if needed == 0:
        return CPU_QUEUE
    fitting = [tier for tier in sorted(VRAM_TIERS_GB) if tier + TIER_MARGIN_GB >= needed]
    return gpu_queue(fitting[0] if fitting else max(VRAM_TIERS_GB))


def fits_hardware(max_live_vram_gb: float, quality: str | None) -> Callable[[PipelineManifest], bool]:
    """A predicate for the compiler: does a live worker have the VRAM this pipeline needs?"""

    def fits(manifest: PipelineManifest) -> bool:
        return vram_needed_gb(manifest, quality) <= max_live_vram_gb + TIER_MARGIN_GB

    return fits
