"""The whole chain with real generative model code: Generate on a Shot at quality low -> Celery worker announcing a
12 GB GPU -> t2i-sd1.5 / t2v-wan2.1-1.3b (diffusers, tiny random-weight models in the workspace model store) -> a
take in Git LFS with its sidecar (model provenance included) and thumbnail."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
from PIL import Image

from function_runner.weights import read_record
from schemas import validator
from tests.server.generation.conftest import Chain, shot_graph
from tests.server.generation.test_chain import git, repo_of
from tests.support.stack_models import build_tiny

TWELVE_GB_WORKER = json.dumps([{"name": "RTX 3060", "vram_gb": 12}])
QUALITY_MAP = {
    "schema_version": 1,
    "task_types": {
        "generate-image": {"low": "t2i-sd1.5", "standard": "t2i-sd1.5", "cpu": "cpu-storyboard"},
        "generate-video": {"low": "t2v-wan2.1-1.3b", "standard": "t2v-wan2.1-1.3b", "cpu": "cpu-animatic"},
    },
}


def generate_take(chain: Chain, model: str, graph: dict[str, Any], take_path: str, pipeline: str) -> dict[str, Any]:
    """The tiny `model` in <workspace>/Models (the default store), a 12 GB worker, Generate at quality low:
    the take is committed to Git LFS with a thumbnail, and its sidecar names the model's weights hash."""
    workspace = chain.server.workspace
    folder = build_tiny(model, workspace / "Models")
    (workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    project_id = chain.project(graph, quality="low")
    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)
    assert task["state"] == "succeeded", task.get("error")
    assert task["take_path"] == take_path
    repo = repo_of(chain, project_id)
    assert git(repo, "log", "-1", "--format=%s").strip() == f"take: SHOT-010 v01 take01 ({pipeline})"
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    lfs_files = subprocess.run(["git", "lfs", "ls-files", "-n"], cwd=repo, capture_output=True, text=True).stdout
    assert take_path in lfs_files.splitlines()
    assert list((repo / "05_Cache" / "thumbnails").glob("SHOT-010_v01_take01*")), "no thumbnail was made"
    sidecar: dict[str, Any] = json.loads((repo / Path(take_path).with_suffix(".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert (sidecar["pipeline"]["id"], sidecar["pipeline"]["backend"]) == (pipeline, "process")
    assert (sidecar["quality"]["requested"], sidecar["quality"]["used"]) == ("low", "low")
    assert "gpu.12" in sidecar["worker"]["queue"].split(",")  # the queues the worker consumes
    record = read_record(folder)
    assert record is not None
    assert (sidecar["model"]["name"], sidecar["model"]["weights_sha256"]) == (model, record.fingerprint)
    assert sidecar["model"]["libraries"]["diffusers"] == "0.42.1"
    assert "provenance" not in sidecar["output"]["media"]
    sidecar["project_id"] = project_id
    return sidecar


def test_a_low_quality_shot_runs_stable_diffusion_on_a_12_gb_worker_into_a_take(chain: Chain) -> None:
    graph = shot_graph(prompt="a lighthouse at dusk", negative_prompt="fog", width=64, height=64, steps=3, seed=11)
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    sidecar = generate_take(chain, "stable-diffusion-v1-5", graph, take_path, "t2i-sd1.5")
    assert sidecar["params"] == {"width": 64, "height": 64, "steps": 3}
    assert sidecar["model"]["arguments"]["negative_prompt"] == "fog" and sidecar["model"]["arguments"]["seed"] == 11
    assert sidecar["output"]["media"]["width"] == 64
    url = f"{chain.server.url}/api/v1/projects/{sidecar['project_id']}/files/{take_path}"
    with Image.open(io.BytesIO(httpx.get(url, headers=chain.headers).content)) as png:
        assert (png.format, png.size) == ("PNG", (64, 64))


def test_a_low_quality_video_shot_runs_wan_on_a_12_gb_worker_into_an_mp4_take(chain: Chain) -> None:
    graph = shot_graph(
        prompt="waves at dusk", task_type="generate-video", width=64, height=64, frames=9, steps=2, seed=3
    )
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
    sidecar = generate_take(chain, "Wan2.1-T2V-1.3B-Diffusers", graph, take_path, "t2v-wan2.1-1.3b")
    assert sidecar["model"]["arguments"]["num_frames"] == 9 and sidecar["model"]["arguments"]["fps"] == 16
    assert (sidecar["output"]["media"]["frames"], sidecar["output"]["media"]["fps"]) == (9, 16)
