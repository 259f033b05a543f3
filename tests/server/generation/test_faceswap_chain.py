"""Face swap through the whole chain: a Face Swap node at quality low -> Celery worker with a GPU -> faceswap-reactor
(insightface + the transformers SFW gate, tiny random-weight models in the workspace model store) -> a take; and the
gate's refusal, which commits nothing and reaches the task (what the node shows) as a sentence."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.server.generation.conftest import Chain
from tests.server.generation.test_chain import git, repo_of
from tests.support.face_media import face_picture
from tests.support.stack_models import build_tiny

TWENTY_FOUR_GB_WORKER = json.dumps([{"name": "RTX 4090", "vram_gb": 24}])  # unmeasured VRAM: the largest tier
QUALITY_MAP = {"schema_version": 1, "task_types": {"face-swap": {"low": "faceswap-reactor"}}}
TAKE = "03_Renders/SCENE_01/NODE_swap/NODE-swap_v01_take01.png"  # a node without a shot id: named by its id


def upload(chain: Chain, project_id: str, name: str, pixels: bytes) -> str:
    response = httpx.post(
        f"{chain.server.url}/api/v1/projects/{project_id}/uploads",
        params={"filename": name},
        content=pixels,
        headers=chain.headers,
    )
    assert response.status_code == 201, response.text
    path: str = response.json()["path"]
    return path


def png(cells: list[tuple[int, int]]) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(face_picture(cells)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.timeout(900)  # three tiny models built in the stack's interpreter, then two runs
def test_the_gate_refuses_and_commits_nothing_then_a_safe_swap_becomes_a_take(chain: Chain) -> None:
    models = chain.server.workspace / "Models"
    for model in ("insightface-buffalo-l", "inswapper-128"):
        build_tiny(model, models)
    build_tiny("nsfw-image-detection-forced", models, name="nsfw-image-detection")
    (chain.server.workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
    chain.start_worker(gpus=TWENTY_FOUR_GB_WORKER)
    project_id = chain.project({"schema_version": 1, "nodes": [], "edges": []}, quality="low")
    source = upload(chain, project_id, "source.png", png([(9, 9)]))
    target = upload(chain, project_id, "target.png", png([(3, 9), (15, 9)]))
    node = {"id": "swap", "type": "FaceSwapNode", "position": {"x": 0, "y": 0}}
    node["data"] = {"source": source, "target": target, "target_face_index": 1}
    graph = {"schema_version": 1, "nodes": [node], "edges": []}
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}", json={"version": 2, "graph": graph}, headers=chain.headers
    )
    assert saved.status_code == 200, saved.text
    repo = repo_of(chain, project_id)
    commits = git(repo, "rev-list", "--count", "HEAD")

    refused = chain.wait_for(chain.generate(project_id, "swap")["task_id"], timeout=300)
    assert refused["state"] == "failed"
    assert "The SFW gate refused the source image" in refused["error"]
    assert git(repo, "rev-list", "--count", "HEAD") == commits, "a refused swap was committed"
    assert not (repo / "03_Renders").exists() or not any((repo / "03_Renders").rglob("*.png"))

    shutil.rmtree(models / "nsfw-image-detection")
    build_tiny("nsfw-image-detection", models)
    build_tiny("face-restore-networks", models)
    node["data"] = {**node["data"], "face_restore_model": "GFPGANv1.4.pth"}
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}", json={"version": 3, "graph": graph}, headers=chain.headers
    )
    assert saved.status_code == 200, saved.text
    done = chain.wait_for(chain.generate(project_id, "swap")["task_id"], timeout=300)
    assert done["state"] == "succeeded", done.get("error")
    assert done["take_path"] == TAKE
    assert git(repo, "log", "-1", "--format=%s").strip() == "take: NODE-swap v01 take01 (faceswap-reactor)"
    lfs = subprocess.run(["git", "lfs", "ls-files", "-n"], cwd=repo, capture_output=True, text=True).stdout
    assert TAKE in lfs.splitlines()
    sidecar = json.loads((repo / Path(TAKE).with_suffix(".json")).read_text())
    assert sidecar["pipeline"]["id"] == "faceswap-reactor"
    # What the node set; defaults fill in at the runner.
    assert sidecar["params"] == {"target_face_index": 1, "face_restore_model": "GFPGANv1.4.pth"}
    model = sidecar["model"]  # what ran: every store folder's hash, the restorer, the library versions
    assert set(model["models"]) == {"insightface-buffalo-l", "inswapper-128", "nsfw-image-detection"}
    assert all(len(sha) == 64 for sha in model["models"].values())
    assert (model["network"]["file"], model["network"]["architecture"]) == ("GFPGANv1.4.pth", "GFPGAN")
    assert model["libraries"]["insightface"] == "2.1"
