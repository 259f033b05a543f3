import json
from pathlib import Path

import pytest

from schemas import describe_errors
from schemas.models.pipeline_manifest import PipelineManifest, TaskType
from schemas.models.project_manifest import Quality
from server.config import SHIPPED_QUALITY_MAP
from server.graph.errors import NoPipelineError
from server.graph.quality import load_quality_map, select_pipeline
from tests.support.graphs import manifest


def installed(*ids: str) -> dict[str, PipelineManifest]:
    return {i: PipelineManifest.model_validate(manifest(i)) for i in ids}


def test_shipped_quality_map_is_prd_table_4_with_a_cpu_tier() -> None:
    assert describe_errors("quality-map", json.loads(SHIPPED_QUALITY_MAP.read_text(encoding="utf-8"))) == []
    tiers = load_quality_map(SHIPPED_QUALITY_MAP).task_types
    image, video = tiers[TaskType.generate_image], tiers[TaskType.generate_video]
    assert (image.low, image.standard, image.high) == ("t2i-sd1.5", "t2i-flux-schnell", "t2i-flux-dev-fp16")
    # Standard video is Wan 2.1 1.3B too: the 14B model has no pipeline yet (PRD Table 4 lists no standard tier).
    assert (video.low, video.standard, video.high) == ("t2v-wan2.1-1.3b", "t2v-wan2.1-1.3b", "t2v-ltx-13b")
    assert image.cpu == "cpu-storyboard"
    assert video.cpu is not None


@pytest.mark.parametrize(
    ("quality", "expected"),
    [(Quality.low, "t2i-sd1.5"), (Quality.standard, "t2i-flux-schnell"), (Quality.high, "t2i-flux-dev-fp16")],
)
def test_quality_selects_the_tier_pipeline(quality: Quality, expected: str) -> None:
    everything = installed("t2i-sd1.5", "t2i-flux-schnell", "t2i-flux-dev-fp16", "cpu-storyboard")
    selection = select_pipeline(load_quality_map(SHIPPED_QUALITY_MAP), TaskType.generate_image, quality, everything)
    assert (selection.pipeline_id, selection.tier, selection.fallback) == (expected, quality.value, None)


def test_a_missing_tier_falls_back_to_a_lower_one_then_to_cpu() -> None:
    quality_map = load_quality_map(SHIPPED_QUALITY_MAP)
    lower = select_pipeline(quality_map, TaskType.generate_image, Quality.high, installed("t2i-sd1.5"))
    assert (lower.pipeline_id, lower.tier) == ("t2i-sd1.5", "low")
    assert lower.fallback is not None and "t2i-flux-dev-fp16" in lower.fallback
    cpu = select_pipeline(quality_map, TaskType.generate_image, Quality.low, installed("cpu-storyboard"))
    assert (cpu.pipeline_id, cpu.tier) == ("cpu-storyboard", "cpu")


def test_no_installed_pipeline_is_an_error_naming_the_candidates(tmp_path: Path) -> None:
    with pytest.raises(NoPipelineError) as caught:
        select_pipeline(load_quality_map(SHIPPED_QUALITY_MAP), TaskType.tts, Quality.standard, installed())
    assert "tts-f5" in caught.value.message and "cpu-tts-espeak" in caught.value.message
