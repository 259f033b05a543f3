"""The whole chain for the two FLUX.1 Kontext [dev] pipelines: an uploaded still in a Shot's image input, the Shot's
task type image-edit (or identity-image) at quality low -> a 12 GB worker -> edit-flux-kontext-dev (or
identity-flux-kontext-dev) on a tiny random-weight model in the workspace store -> a PNG take in Git LFS whose
sidecar names the source image and the model."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from function_runner.weights import read_record
from schemas import validator
from tests.server.generation.conftest import Chain, shot_graph
from tests.server.generation.test_chain import git, repo_of
from tests.server.generation.test_model_chain import TWELVE_GB_WORKER
from tests.support.stack_models import build_tiny

MODEL = "FLUX.1-Kontext-dev"
TAKE = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"


def still(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("task_type", "pipeline", "shot_data", "size"),
    [
        ("image-edit", "edit-flux-kontext-dev", {"steps": 2}, (96, 64)),
        ("identity-image", "identity-flux-kontext-dev", {"steps": 2, "width": 64, "height": 80}, (64, 80)),
    ],
)
def test_a_shot_with_an_uploaded_still_runs_its_kontext_pipeline_into_a_take(
    chain: Chain, task_type: str, pipeline: str, shot_data: dict[str, Any], size: tuple[int, int]
) -> None:
    workspace = chain.server.workspace
    folder = build_tiny(MODEL, workspace / "Models")
    quality_map = {"schema_version": 1, "task_types": {task_type: {"low": pipeline}}}
    (workspace / "Library" / "quality_map.json").write_text(json.dumps(quality_map))
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    project_id = chain.project(shot_graph(), quality="low")
    source = chain.feed_an_upload(project_id, still((96, 64)), pipeline=pipeline)
    graph = shot_graph(prompt="make it night", task_type=task_type, image=source, seed=5, **shot_data)
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}", json={"version": 3, "graph": graph}, headers=chain.headers
    )
    assert saved.status_code == 200, saved.text

    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)
    assert task["state"] == "succeeded", task.get("error")
    assert task["take_path"] == TAKE
    repo = repo_of(chain, project_id)
    assert git(repo, "log", "-1", "--format=%s").strip() == f"take: SHOT-010 v01 take01 ({pipeline})"
    assert git(repo, "cat-file", "-p", f"HEAD:{TAKE}").startswith("version https://git-lfs")
    sidecar: dict[str, Any] = json.loads((repo / Path(TAKE).with_suffix(".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert (sidecar["pipeline"]["id"], sidecar["quality"]["used"]) == (pipeline, "low")
    assert sidecar["inputs"]["image"]["path"] == source
    assert sidecar["params"] == shot_data
    record = read_record(folder)
    assert record is not None
    assert (sidecar["model"]["name"], sidecar["model"]["weights_sha256"]) == (MODEL, record.fingerprint)
    assert sidecar["model"]["arguments"]["prompt"] == "make it night" and sidecar["model"]["arguments"]["seed"] == 5
    url = f"{chain.server.url}/api/v1/projects/{project_id}/files/{TAKE}"
    with Image.open(io.BytesIO(httpx.get(url, headers=chain.headers).content)) as png:
        assert (png.format, png.size) == ("PNG", size)
