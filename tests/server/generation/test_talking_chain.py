"""Talking head through the whole chain: a Shot (task type talking-head, the shipped quality map at low) whose
revealed `image` and `audio` sockets hold an uploaded portrait and voice -> Celery worker with a GPU ->
talking-head-wav2lip (lipsync's Wav2Lip + insightface's SCRFD, tiny random-weight models in the workspace store)
-> an MP4 take as long as the voice, carrying it, with the model's provenance in its sidecar."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas import validator
from server.media.probe import probe
from tests.server.generation.conftest import ROOT, Chain
from tests.server.generation.test_chain import repo_of
from tests.server.generation.test_motion_chain import upload
from tests.support.face_media import face_picture, write_png, write_voice
from tests.support.stack_models import build_tiny

TWENTY_FOUR_GB_WORKER = json.dumps([{"name": "RTX 4090", "vram_gb": 24}])  # unmeasured VRAM: the largest tier
TAKE = "03_Renders/SCENE_01/SHOT_020/SHOT-020_v01_take01.mp4"


@pytest.mark.timeout(900)  # two tiny models built in the stacks' interpreters, then one run
def test_a_shot_s_portrait_and_voice_become_a_talking_mp4_take(chain: Chain, tmp_path: Path) -> None:
    workspace = chain.server.workspace
    for model in ("insightface-buffalo-l", "wav2lip", "nsfw-image-detection"):
        build_tiny(model, workspace / "Models")
    shutil.copy(ROOT / "library" / "quality_map.json", workspace / "Library" / "quality_map.json")  # the shipped rows
    chain.start_worker(gpus=TWENTY_FOUR_GB_WORKER)
    project_id = chain.project({"schema_version": 1, "nodes": [], "edges": []}, quality="low")
    portrait = upload(chain, project_id, write_png(tmp_path / "portrait.png", face_picture([(9, 9)], size=320)))
    voice = upload(chain, project_id, write_voice(tmp_path / "voice.wav", 0.8))
    shot = {"shot_id": "SHOT-020", "task_type": "talking-head", "image": portrait, "audio": voice}
    graph = {"schema_version": 1, "edges": [],
             "nodes": [{"id": "shot", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": shot}]}  # fmt: skip
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}", json={"version": 2, "graph": graph}, headers=chain.headers
    )
    assert saved.status_code == 200, saved.text

    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)

    assert task["state"] == "succeeded", task.get("error")
    assert task["take_path"] == TAKE
    repo = repo_of(chain, project_id)
    sidecar: dict[str, Any] = json.loads((repo / Path(TAKE).with_suffix(".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert sidecar["pipeline"]["id"] == "talking-head-wav2lip"
    assert (sidecar["quality"]["requested"], sidecar["quality"]["used"]) == ("low", "low")
    assert sidecar["inputs"]["image"]["path"] == portrait and sidecar["inputs"]["audio"]["path"] == voice
    assert sidecar["model"]["name"] == "wav2lip" and sidecar["model"]["arguments"]["frames"] == 20
    info = probe(repo / TAKE)
    assert info.video is not None and info.audio is not None
    assert (info.frames, info.video.width, info.video.height, float(info.video.fps)) == (20, 320, 320, 25.0)
