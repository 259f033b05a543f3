"""The Super Resolution and Video Restoration nodes reach the spandrel pipelines through the shipped quality map, with
their settings (scale or strength, and the network file) as those pipelines' params; the CPU tier keeps its own."""

from __future__ import annotations

import pytest

from schemas.models.project_manifest import Quality
from server.generation.spec import pipeline_params
from server.graph.catalogue import Catalogue, load_catalogue
from tests.server.graph.test_compiler import plan_for, shot
from tests.support.graphs import edge, graph, node
from tests.support.runner import PIPELINE_IMAGES


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    return load_catalogue([PIPELINE_IMAGES])


@pytest.mark.parametrize(
    ("node_type", "task_type", "handle", "settings", "pipeline"),
    [
        ("SuperResolutionNode", "generate-image", "image", {"scale": 3, "network": "x4.pth"}, "sr-spandrel"),
        (
            "VideoRestorationNode",
            "generate-video",
            "video",
            {"strength": 0.4, "network": "nafnet.pth"},
            "restore-spandrel",
        ),
    ],
)
def test_the_node_runs_its_spandrel_pipeline_with_its_settings_as_params(
    shipped: Catalogue, node_type: str, task_type: str, handle: str, settings: dict[str, object], pipeline: str
) -> None:
    document = graph(
        [shot(task_type=task_type), node("post", node_type, settings)],
        [edge("e1", "shot", handle, "post", handle)],
    )
    step = plan_for(document, "post", shipped, quality=Quality.low).steps[-1]
    assert step.pipeline is not None and step.pipeline.pipeline_id == pipeline
    assert step.pipeline.chosen_by == "quality map (low)"
    assert pipeline_params(step, shipped.pipelines[pipeline].params, "16:9") == settings


def test_the_cpu_stand_in_takes_the_scale_but_not_the_network(shipped: Catalogue) -> None:
    document = graph(
        [shot(), node("post", "SuperResolutionNode", {"scale": 3, "network": "esrgan-x4.pth"})],
        [edge("e1", "shot", "image", "post", "image")],
    )
    step = plan_for(document, "post", shipped, quality=Quality.low).steps[-1]
    assert pipeline_params(step, shipped.pipelines["cpu-upscale-lanczos"].params, "16:9") == {"scale": 3}
