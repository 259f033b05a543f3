"""GET /api/v1/pipelines, the palette and validation say which pipelines lack weights or an image, and the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schemas.models.pipeline_manifest import PipelineManifest
from server.config import Settings
from server.models.availability import pipeline_availability
from tests.conftest import make_settings
from tests.support.factories import TestUser, create_project
from tests.support.graphs import edge, graph, manifest, node, write_manifest
from tests.support.model_folders import diffusers_folder
from tests.support.runner import PIPELINE_IMAGES, built_images, require_docker

SD15 = json.loads((PIPELINE_IMAGES / "t2i-sd1.5" / "pipeline.json").read_text())
PULL = "studio models pull stable-diffusion-v1-5"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    pipelines = tmp_path / "pipelines"
    write_manifest(pipelines, manifest("cpu-storyboard"))
    write_manifest(pipelines, SD15)
    quality_map = tmp_path / "workspace" / "Library" / "quality_map.json"
    quality_map.parent.mkdir(parents=True)
    quality_map.write_text(
        json.dumps(
            {"schema_version": 1, "task_types": {"generate-image": {"low": "t2i-sd1.5", "cpu": "cpu-storyboard"}}}
        )
    )
    return make_settings(
        tmp_path / "workspace", database_url=database_url, pipeline_dirs=[pipelines], runner_backend="process"
    )


def test_pipelines_and_node_types_say_which_lack_weights_and_how_to_fetch_them(
    client: TestClient, alice: TestUser, settings: Settings
) -> None:
    body = client.get("/api/v1/pipelines", headers=alice.headers).json()
    sd15, storyboard = body["availability"]["t2i-sd1.5"], body["availability"]["cpu-storyboard"]
    assert storyboard == {"ready": True, "weights_present": True, "problems": []}  # image_built: null, left out
    assert (sd15["ready"], sd15["weights_present"]) == (False, False)
    [problem] = sd15["problems"]
    assert problem["fix"] == PULL and "is not in the model store" in problem["message"]
    assert str(settings.models_dir) not in problem["message"]  # the host's layout is not a member's business
    types = {t["id"]: t for t in client.get("/api/v1/node-types", headers=alice.headers).json()}
    assert types["pipeline:t2i-sd1.5"]["availability"] == sd15
    assert "availability" not in types["ShotNode"]

    diffusers_folder(settings.models_dir)  # the model arrives in <workspace>/Models
    after = client.get("/api/v1/pipelines", headers=alice.headers).json()["availability"]["t2i-sd1.5"]
    assert after == {"ready": True, "weights_present": True, "problems": []}


def test_a_shot_whose_pipeline_lacks_weights_gets_a_warning_with_the_fix(
    client: TestClient, alice: TestUser, settings: Settings
) -> None:
    project = create_project(client, alice, "Night Train", quality="low")
    nodes = [
        node("shot", "ShotNode", {"shot_id": "SHOT-010", "prompt": "rain"}),  # quality low -> t2i-sd1.5
        node("sd", "pipeline:t2i-sd1.5", {"prompt": "rain"}),
        node("board", "pipeline:cpu-storyboard", {"prompt": "rain"}),
        node("chosen", "PipelineNode", {"pipeline_id": "cpu-storyboard"}),
        node("shot2", "ShotNode", {"shot_id": "SHOT-020", "prompt": "sun"}),  # runs the connected storyboard
    ]
    link = edge("e1", "chosen", "pipeline", "shot2", "pipeline")
    saved = client.put(
        f"/api/v1/projects/{project['id']}",
        json={"version": project["version"], "graph": graph(nodes, [link])},
        headers=alice.headers,
    )
    assert saved.status_code == 200, saved.text
    report = client.post(f"/api/v1/projects/{project['id']}/validate", headers=alice.headers).json()
    assert report["valid"] is True  # a warning: a fallback or a worker's own store may still run it
    missing = [(i["node_id"], i["severity"], i["fix"]) for i in report["issues"] if i["code"] == "weights_missing"]
    assert missing == [("shot", "warning", PULL), ("sd", "warning", PULL)]
    assert "Node 'shot' runs t2i-sd1.5 (Stable Diffusion 1.5)" in report["issues"][0]["message"]
    diffusers_folder(settings.models_dir)
    again = client.post(f"/api/v1/projects/{project['id']}/validate", headers=alice.headers).json()
    assert again == {"valid": True, "issues": []}


@pytest.mark.docker
def test_with_a_docker_engine_an_unbuilt_image_is_named_with_its_build_command(tmp_path: Path) -> None:
    require_docker()
    built_images(PIPELINE_IMAGES)
    storyboard = PipelineManifest.model_validate(
        json.loads((PIPELINE_IMAGES / "cpu-storyboard" / "pipeline.json").read_text())
    )
    never = PipelineManifest.model_validate({**manifest("never-built"), "image": "studio/pipeline-never-built:local"})
    settings = make_settings(tmp_path, runner_backend="auto")
    availability = pipeline_availability({"cpu-storyboard": storyboard, "never-built": never}, settings)
    assert availability["cpu-storyboard"].image_built is True and availability["cpu-storyboard"].ready
    assert (availability["never-built"].image_built, availability["never-built"].ready) == (False, False)
    assert [p.fix for p in availability["never-built"].problems] == ["studio pipelines build never-built"]
