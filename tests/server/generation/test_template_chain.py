"""A template node through the whole chain: Generate → placement on a worker whose ComfyUI has the node classes →
the comfyui runner against the ComfyUI stand-in → a take in Git LFS with the workflow in its sidecar."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas import validator
from server.dispatch.registry import WorkerRegistry
from tests.server.generation.conftest import Chain
from tests.server.generation.test_chain import git, repo_of
from tests.support.comfyui.server import ComfyUIStandIn

SMALL = {"width": 64, "height": 64}


def template_graph(**data: Any) -> dict[str, Any]:
    node = {
        "id": "t",
        "type": "template:sd15-txt2img",
        "position": {"x": 0, "y": 0},
        "data": {"prompt": "a lighthouse at dusk", "seed": 1234, **SMALL, **data},
    }
    return {"schema_version": 1, "nodes": [node], "edges": []}


@pytest.fixture
def comfyui(chain: Chain, tmp_path: Path) -> Iterator[ComfyUIStandIn]:
    # The workspace Library is seeded from library/, seed templates included.
    assert (chain.server.workspace / "Library" / "Pipeline_Templates" / "sd15-txt2img").is_dir()
    server = ComfyUIStandIn(tmp_path / "comfyui", step_delay_s=0.05).start()
    yield server
    server.stop()


def test_a_template_node_generates_a_take_on_the_worker_whose_comfyui_has_its_nodes(
    chain: Chain, comfyui: ComfyUIStandIn
) -> None:
    chain.start_worker(STUDIO_COMFYUI_URL=comfyui.url)
    announced = [w for w in WorkerRegistry.from_url(chain.redis_url).live() if w.comfyui_node_classes]
    assert len(announced) == 1 and "KSampler" in (announced[0].comfyui_node_classes or [])
    project_id = chain.project(template_graph(steps=3))
    task = chain.generate(project_id, "t")
    assert task["queue"] == f"comfyui@{announced[0].host}"
    assert task["spec"]["placement"]["waiting_for"] is None
    done = chain.wait_for(task["task_id"])
    assert done["state"] == "succeeded", done["error"]
    repo = repo_of(chain, project_id)
    take_path = done["take_path"]
    assert take_path.startswith("03_Renders/SCENE_01/") and take_path.endswith("_v01_take01.png")
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    assert (repo / take_path).read_bytes().startswith(b"\x89PNG")
    sidecar = json.loads((repo / take_path.replace(".png", ".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert sidecar["pipeline"]["id"] == "sd15-txt2img" and sidecar["pipeline"]["backend"] == "comfyui"
    assert sidecar["seed"] == 1234 and sidecar["params"]["steps"] == 3
    workflow = sidecar["comfyui"]["workflow"]
    # The node's prompt, settings and seed are written into the workflow as it was queued.
    assert workflow["6"]["inputs"]["text"] == "a lighthouse at dusk"
    assert workflow["3"]["inputs"]["seed"] == 1234 and workflow["3"]["inputs"]["steps"] == 3
    assert sidecar["comfyui"]["prompt_id"] in comfyui.history
    assert ("POST", "/prompt") in comfyui.requests


def test_cancelling_a_template_task_interrupts_comfyui(chain: Chain, comfyui: ComfyUIStandIn) -> None:
    chain.start_worker(STUDIO_COMFYUI_URL=comfyui.url)
    project_id = chain.project(template_graph(steps=150))
    task = chain.generate(project_id, "t")
    chain.wait_for(task["task_id"], states=("running",))
    deadline = time.monotonic() + 60
    while ("POST", "/prompt") not in comfyui.requests and time.monotonic() < deadline:
        time.sleep(0.1)
    cancelled = httpx.post(f"{chain.server.url}/api/v1/tasks/{task['task_id']}/cancel", headers=chain.headers)
    assert cancelled.json()["state"] == "cancelled"
    deadline = time.monotonic() + 60
    while ("POST", "/interrupt") not in comfyui.requests and time.monotonic() < deadline:
        time.sleep(0.1)
    assert ("POST", "/interrupt") in comfyui.requests
    assert chain.task(task["task_id"])["take_path"] is None


def test_a_template_no_worker_can_run_is_refused_or_waits_by_policy_naming_the_missing_node_classes(
    chain: Chain, comfyui: ComfyUIStandIn, tmp_path: Path
) -> None:
    lacking = ComfyUIStandIn(tmp_path / "lacking", missing=frozenset({"KSampler"})).start()
    try:
        chain.start_worker(STUDIO_COMFYUI_URL=lacking.url)
    finally:
        lacking.stop()  # the worker announced what its ComfyUI had when it started
    refused = httpx.post(
        f"{chain.server.url}/api/v1/tasks/generate_shot",
        json={"project_id": chain.project(template_graph()), "node_id": "t"},
        headers=chain.headers,
    )
    assert refused.status_code == 409
    message = refused.json()["error"]["message"]
    assert "no online worker's ComfyUI has the node class(es) KSampler" in message
    waiting = chain.generate(chain.project(template_graph(), hardware_policy="queue"), "t")
    assert waiting["queue"] == "comfyui"
    assert "KSampler" in waiting["spec"]["placement"]["waiting_for"]
