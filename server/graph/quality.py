"""Choosing a pipeline for a task type from the project's quality (library/quality_map.json)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from schemas.models.pipeline_manifest import PipelineManifest, TaskType
from schemas.models.project_manifest import Quality
from schemas.models.quality_map import QualityMap, QualityTiers
from server.graph.errors import NoPipelineError

CPU_TIER = "cpu"
# Tried in this order for each requested quality: the tier itself, lower ones, then the CPU pipeline.
FALLBACK_ORDER: dict[Quality, tuple[str, ...]] = {
    Quality.high: ("high", "standard", "low", CPU_TIER),
    Quality.standard: ("standard", "low", CPU_TIER),
    Quality.low: ("low", CPU_TIER),
}


NO_TIERS = QualityTiers()


def load_quality_map(path: Path) -> QualityMap:
    return QualityMap.model_validate_json(path.read_bytes())


@dataclass(frozen=True)
class PipelineSelection:
    pipeline_id: str
    requested: Quality
    tier: str
    # A sentence when the requested tier's pipeline is not installed and another was chosen.
    fallback: str | None


def _title(quality: str) -> str:
    return "CPU" if quality == CPU_TIER else quality.capitalize()


def select_pipeline(
    quality_map: QualityMap,
    task_type: TaskType,
    quality: Quality,
    installed: Mapping[str, PipelineManifest],
    fits: Callable[[PipelineManifest], bool] = lambda _manifest: True,
) -> PipelineSelection:
    """The requested tier's pipeline, else the next tier down that is installed and `fits` the hardware."""
    tiers = quality_map.task_types.get(task_type) or NO_TIERS
    wanted = getattr(tiers, quality.value)
    hardware_refused = False
    for tier in FALLBACK_ORDER[quality]:
        pipeline_id = getattr(tiers, tier)
        if pipeline_id is None or pipeline_id not in installed:
            continue
        if not fits(installed[pipeline_id]):
            hardware_refused = True
            continue
        if tier == quality.value:
            fallback = None
        elif hardware_refused:
            # PRD §7.2's wording: what was asked for, and what the user gets instead.
            fallback = (
                f"{_title(quality.value)} quality not available on current hardware. Fell back to "
                f"{_title(tier)} quality ({installed[pipeline_id].title})."
            )
        else:
            fallback = (
                f"The {quality.value} pipeline for {task_type.value} ('{wanted}') is not installed; "
                f"using '{pipeline_id}' ({tier})."
            )
        return PipelineSelection(pipeline_id, quality, tier, fallback)
    listed = list(dict.fromkeys(p for p in (getattr(tiers, t) for t in FALLBACK_ORDER[Quality.high]) if p))
    raise NoPipelineError(
        f"No pipeline for {task_type.value} is installed (the quality map lists "
        f"{', '.join(listed) or 'none'}); add one of them to pipeline_images/ or Library/Pipelines/, "
        "or connect a Pipeline node.",
        field="pipeline",
    )
