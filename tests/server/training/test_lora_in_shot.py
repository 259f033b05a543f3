"""A Shot with a Character connected runs its pipeline with the asset's trained LoRA at the Asset node's weight and
its trigger word in the prompt; the LoRA's hash is in the cache key and the take's sidecar names it."""

from __future__ import annotations

import json
from typing import Any

from server.generation.job import GenerateShot
from server.generation.runtime import PipelineRunners
from tests.server.generation.conftest import shot_graph
from tests.server.training.test_training import FOLDER, character, run, start, studio, tiny_store
from tests.support.jobs import JobStudio, job_studio

__all__ = ["job_studio", "studio", "tiny_store"]


def with_character(asset_id: str, weight: float, prompt: str = "at the lighthouse") -> dict[str, Any]:
    graph = shot_graph("t2i-sd1.5", prompt=prompt)
    graph["nodes"].append(
        {
            "id": "mara",
            "type": "AssetNode",
            "position": {"x": 0, "y": 200},
            "data": {"asset_id": asset_id, "path": FOLDER, "name": "Mara Voss", "kind": "character", "weight": weight},
        }
    )
    graph["edges"].append(
        {"id": "e2", "source": "mara", "sourceHandle": "asset", "target": "shot", "targetHandle": "character"}
    )
    for node in graph["nodes"]:
        if node["id"] == "shot":
            node["data"].update({"steps": 1, "width": 64, "height": 64})
    return graph


def generate(studio: JobStudio, project: dict[str, Any], graph: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    current = studio.client.get(f"/api/v1/projects/{project['id']}", headers=studio.user.headers).json()
    studio.save_graph(current, graph)
    started = studio.client.post(
        "/api/v1/tasks/generate_shot",
        json={"project_id": project["id"], "node_id": "shot"},
        headers=studio.user.headers,
    )
    return started.json(), started


def test_the_shot_loads_the_characters_lora_and_its_take_names_it(studio: JobStudio) -> None:
    project, asset_id = character(studio)
    refused, response = generate(studio, project, with_character(asset_id, 0.8))
    assert response.status_code == 422
    assert "has no trained version yet; train it in the Asset Manager" in refused["error"]["message"]

    assert run(studio, start(studio, project, asset_id).json()["task_id"])["state"] == "succeeded"
    repo = studio.repo_root(project)
    version = json.loads((repo / FOLDER / "asset.json").read_text())["versions"][0]
    task, response = generate(studio, project, with_character(asset_id, 0.8))
    assert response.status_code == 202, response.text
    [step] = task["spec"]["steps"]
    assert step["params"]["lora_weight"] == 0.8
    inputs = {i["name"]: i for i in step["inputs"]}
    assert inputs["prompt"]["value"] == "sks_mara, at the lighthouse"
    assert (inputs["lora"]["value"], inputs["lora"]["content_hash"]) == (
        f"{FOLDER}/{version['file']}",
        version["sha256"],
    )
    assert "character" not in inputs

    job = GenerateShot(studio.settings, PipelineRunners(studio.settings), "cpu")
    studio.start(job, task["task_id"]).join(timeout=600)
    done = studio.task(task["task_id"])
    assert done["state"] == "succeeded", done["error"]
    sidecar = json.loads((repo / done["take_path"]).with_suffix(".json").read_text())
    assert sidecar["inputs"]["lora"] == {"path": f"{FOLDER}/{version['file']}", "sha256": version["sha256"]}
    assert sidecar["model"]["arguments"]["lora"] == {"sha256": version["sha256"], "weight": 0.8}
    assert sidecar["model"]["arguments"]["prompt"] == "sks_mara, at the lighthouse"

    # The weight and the LoRA are part of the cache key: another weight is another key.
    other, _ = generate(studio, project, with_character(asset_id, 0.5))
    assert other["spec"]["steps"][0]["cache_key"] != step["cache_key"]
