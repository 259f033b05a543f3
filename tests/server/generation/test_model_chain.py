"""The whole chain with real generative model code: Generate on a Shot at quality low -> Celery worker announcing a
12 GB GPU -> t2i-sd1.5 (diffusers, a tiny random-weight SD 1.5 from the workspace model store) -> a take in Git LFS
with its sidecar (model provenance included) and thumbnail."""

from __future__ import annotations

import io
import json
import subprocess

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


def test_a_low_quality_shot_runs_stable_diffusion_on_a_12_gb_worker_into_a_take(chain: Chain) -> None:
    workspace = chain.server.workspace
    model = build_tiny("stable-diffusion-v1-5", workspace / "Models")  # the default store: <workspace>/Models
    (workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    graph = shot_graph(prompt="a lighthouse at dusk", negative_prompt="fog", width=64, height=64, steps=3, seed=11)
    project_id = chain.project(graph, quality="low")

    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)
    assert task["state"] == "succeeded", task.get("error")
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    assert task["take_path"] == take_path
    repo = repo_of(chain, project_id)
    assert git(repo, "log", "-1", "--format=%s").strip() == "take: SHOT-010 v01 take01 (t2i-sd1.5)"
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    image = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}/files/{take_path}", headers=chain.headers)
    with Image.open(io.BytesIO(image.content)) as png:
        assert (png.format, png.size) == ("PNG", (64, 64))
    thumbnails = list((repo / "05_Cache" / "thumbnails").glob("SHOT-010_v01_take01*"))
    assert thumbnails, "no thumbnail was made"

    sidecar = json.loads((repo / take_path.replace(".png", ".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert (sidecar["pipeline"]["id"], sidecar["pipeline"]["backend"]) == ("t2i-sd1.5", "process")
    assert (sidecar["quality"]["requested"], sidecar["quality"]["used"]) == ("low", "low")
    assert "gpu.12" in sidecar["worker"]["queue"].split(",")  # the queues the worker consumes
    assert sidecar["params"] == {"width": 64, "height": 64, "steps": 3}
    record = read_record(model)
    assert record is not None
    provenance = sidecar["model"]
    assert (provenance["name"], provenance["weights_sha256"]) == ("stable-diffusion-v1-5", record.fingerprint)
    assert provenance["arguments"]["negative_prompt"] == "fog" and provenance["arguments"]["seed"] == 11
    assert provenance["libraries"]["diffusers"] == "0.42.1"
    assert "provenance" not in sidecar["output"]["media"]
    assert sidecar["output"]["media"]["width"] == 64
    lfs_files = subprocess.run(["git", "lfs", "ls-files", "-n"], cwd=repo, capture_output=True, text=True).stdout
    assert take_path in lfs_files.splitlines()


def test_a_low_quality_video_shot_runs_wan_on_a_12_gb_worker_into_an_mp4_take(chain: Chain) -> None:
    workspace = chain.server.workspace
    model = build_tiny("Wan2.1-T2V-1.3B-Diffusers", workspace / "Models")
    (workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    graph = shot_graph(
        prompt="waves at dusk", task_type="generate-video", width=64, height=64, frames=9, steps=2, seed=3
    )
    project_id = chain.project(graph, quality="low")

    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)
    assert task["state"] == "succeeded", task.get("error")
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
    assert task["take_path"] == take_path
    repo = repo_of(chain, project_id)
    assert git(repo, "log", "-1", "--format=%s").strip() == "take: SHOT-010 v01 take01 (t2v-wan2.1-1.3b)"
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    assert list((repo / "05_Cache" / "thumbnails").glob("SHOT-010_v01_take01*")), "no poster was made"
    sidecar = json.loads((repo / take_path.replace(".mp4", ".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    record = read_record(model)
    assert record is not None
    assert (sidecar["model"]["name"], sidecar["model"]["weights_sha256"]) == (model.name, record.fingerprint)
    assert sidecar["model"]["arguments"]["num_frames"] == 9 and sidecar["model"]["arguments"]["fps"] == 16
    assert (sidecar["output"]["media"]["frames"], sidecar["output"]["media"]["fps"]) == (9, 16)
