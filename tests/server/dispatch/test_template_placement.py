"""The one placement for template plans: a worker whose ComfyUI has every node class, else the policy."""

from __future__ import annotations

import time

import pytest

from schemas.models.project_manifest import HardwarePolicy, Quality
from server.config import SHIPPED_QUALITY_MAP
from server.dispatch.placement import NoWorkerForTemplateError, place
from server.dispatch.registry import WorkerRecord
from server.graph.catalogue import load_catalogue
from server.graph.compiler import CompileContext
from server.graph.quality import load_quality_map
from tests.support.factories import SEED_TEMPLATES
from tests.support.graphs import MemoryTakeStore, graph, node

CATALOGUE = load_catalogue([], [SEED_TEMPLATES])
CLASSES = sorted(CATALOGUE.templates["sd15-txt2img"].node_classes)
DOCUMENT = graph([node("t", "template:sd15-txt2img", {"prompt": "dawn", "seed": 7})])


def context() -> CompileContext:
    return CompileContext(
        catalogue=CATALOGUE,
        quality=Quality.standard,
        quality_map=load_quality_map(SHIPPED_QUALITY_MAP),
        takes=MemoryTakeStore(),
    )


def worker(host: str, classes: list[str] | None) -> WorkerRecord:
    return WorkerRecord(
        worker_id=f"{host}:1",
        host=host,
        gpus=[],
        max_vram_gb=0,
        cpus=4,
        queues=["cpu"],
        labels=[],
        comfyui_node_classes=classes,
        seen_at=time.time(),
    )


def test_a_template_goes_to_the_worker_whose_comfyui_has_every_node_class() -> None:
    workers = [worker("plain", None), worker("partial", CLASSES[1:]), worker("full", [*CLASSES, "ReActorFaceSwap"])]
    _, placement = place(DOCUMENT, "t", context(), HardwarePolicy.fallback, workers)
    assert placement.queue == "comfyui@full"
    assert placement.waiting_for is None and placement.pipeline_id == "sd15-txt2img"


def test_without_such_a_worker_policy_queue_waits_and_names_what_the_closest_lacks() -> None:
    workers = [worker("partial", CLASSES[1:])]
    _, placement = place(DOCUMENT, "t", context(), HardwarePolicy.queue, workers)
    assert placement.queue == "comfyui"
    assert placement.waiting_for is not None
    assert f"node class(es) {CLASSES[0]} (the closest, on partial, lacks them)" in placement.waiting_for


def test_without_such_a_worker_policy_fallback_refuses_and_without_any_comfyui_says_so() -> None:
    with pytest.raises(NoWorkerForTemplateError, match=r"no worker with a ComfyUI \(STUDIO_COMFYUI_URL\) is online"):
        place(DOCUMENT, "t", context(), HardwarePolicy.fallback, [worker("plain", None)])
