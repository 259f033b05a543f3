"""Motion transfer through the whole chain: a Motion Source node on an uploaded video -> cpu-control-canny makes its
control video -> a Shot (task type motion-transfer, the shipped quality map) runs motion-wan2.1-vace-1.3b (diffusers,
a tiny random-weight Wan VACE in the workspace model store) on a 12 GB worker -> an MP4 take with its sidecar."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx

from schemas import validator
from server.media.probe import probe
from tests.server.generation.conftest import ROOT, Chain
from tests.server.generation.test_chain import repo_of
from tests.support.stack_models import build_tiny

TWELVE_GB_WORKER = json.dumps([{"name": "RTX 3060", "vram_gb": 12}])
CANNY_SAMPLES = ROOT / "pipeline_images" / "cpu-control-canny" / "samples"
MOTION_SAMPLES = ROOT / "pipeline_images" / "motion-wan2.1-vace-1.3b" / "samples"


def upload(chain: Chain, project_id: str, source: Path) -> str:
    uploaded = httpx.post(
        f"{chain.server.url}/api/v1/projects/{project_id}/uploads",
        params={"filename": source.name},
        content=source.read_bytes(),
        headers=chain.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    path: str = uploaded.json()["path"]
    return path


def motion_graph(source_video: str, character: str) -> dict[str, Any]:
    shot = {"shot_id": "SHOT-010", "task_type": "motion-transfer", "prompt": "a figure walks to the right"}
    shot |= {"image": character, "width": 64, "height": 48, "steps": 2, "seed": 5}
    return {
        "schema_version": 1,
        "nodes": [
            {"id": "motion", "type": "MotionSourceNode", "position": {"x": 0, "y": 0},
             "data": {"source_video": source_video, "mode": "canny"}},
            {"id": "shot", "type": "ShotNode", "position": {"x": 400, "y": 0}, "data": shot},
        ],
        "edges": [{"id": "e1", "source": "motion", "sourceHandle": "motion", "target": "shot",
                   "targetHandle": "motion"}],
    }  # fmt: skip


def test_a_motion_source_video_drives_wan_vace_into_an_mp4_take(chain: Chain, tmp_path: Path) -> None:
    workspace = chain.server.workspace
    build_tiny("Wan2.1-VACE-1.3B-diffusers", workspace / "Models")
    shutil.copy(ROOT / "library" / "quality_map.json", workspace / "Library" / "quality_map.json")  # the shipped rows
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    project_id = chain.project({"schema_version": 1, "nodes": [], "edges": []}, quality="low")
    source_video = upload(chain, project_id, CANNY_SAMPLES / "walk.mp4")  # 12 frames at 24 fps: 0.5 s
    character = upload(chain, project_id, MOTION_SAMPLES / "character.png")
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}",
        json={"version": 2, "graph": motion_graph(source_video, character)},
        headers=chain.headers,
    )
    assert saved.status_code == 200, saved.text

    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)

    assert task["state"] == "succeeded", task.get("error")
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
    assert task["take_path"] == take_path
    repo = repo_of(chain, project_id)
    sidecar: dict[str, Any] = json.loads((repo / Path(take_path).with_suffix(".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert sidecar["pipeline"]["id"] == "motion-wan2.1-vace-1.3b"
    assert (sidecar["quality"]["requested"], sidecar["quality"]["used"]) == ("low", "low")
    # The Motion Source node's own take (cpu-control-canny's control video) is what the model followed.
    assert sidecar["inputs"]["motion"]["path"] == "motion"  # a step's output is recorded by its node id
    sidecars = [json.loads(p.read_text()) for p in (repo / "03_Renders").rglob("*.json")]
    [control] = [s for s in sidecars if s["pipeline"]["id"] == "cpu-control-canny"]
    assert control["node_id"] == "motion" and control["take"].endswith(".mp4")
    assert (control["output"]["media"]["frames"], control["output"]["media"]["mode"]) == (12, "canny")
    # 0.5 s resampled to 16 fps is 8 frames; the longest 4k+1 of them is 5.
    assert sidecar["model"]["arguments"]["num_frames"] == 5 and sidecar["model"]["arguments"]["fps"] == 16
    info = probe(repo / take_path)
    assert info.video is not None
    assert (info.frames, info.video.width, info.video.height) == (5, 64, 48)
