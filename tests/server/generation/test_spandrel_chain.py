"""The chain with a spandrel network: an uploaded still on a Shot running sr-spandrel on a 12 GB worker -> a tiny
random-weight ESRGAN from the workspace model store -> a take in Git LFS whose sidecar names the network."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import httpx

from function_runner.weights import read_record
from schemas import validator
from tests.server.generation.conftest import Chain, shot_graph
from tests.server.generation.test_chain import git, repo_of
from tests.server.generation.test_model_chain import TWELVE_GB_WORKER
from tests.support.factories import media_bytes
from tests.support.stack_models import build_tiny


def test_an_uploaded_still_is_upscaled_by_the_stores_network_into_a_take(chain: Chain, tmp_path: Path) -> None:
    folder = build_tiny("upscale-networks", chain.server.workspace / "Models")
    chain.start_worker(gpus=TWELVE_GB_WORKER)
    project_id = chain.project(shot_graph("sr-spandrel"), quality="low")
    uploaded = httpx.post(
        f"{chain.server.url}/api/v1/projects/{project_id}/uploads",
        params={"filename": "still.png"},
        content=media_bytes(tmp_path, "png"),  # 32 x 24
        headers=chain.headers,
    )
    assert uploaded.status_code == 201, uploaded.text
    # The Shot's file widget names the upload; its settings carry the network file and the factor.
    graph = shot_graph("sr-spandrel", image=uploaded.json()["path"], network="esrgan-x2.safetensors", scale=3)
    saved = httpx.put(
        f"{chain.server.url}/api/v1/projects/{project_id}", json={"version": 2, "graph": graph}, headers=chain.headers
    )
    assert saved.status_code == 200, saved.text
    task = chain.wait_for(chain.generate(project_id)["task_id"], timeout=300)
    assert task["state"] == "succeeded", task.get("error")
    take = repo_of(chain, project_id) / task["take_path"]
    assert struct.unpack(">II", take.read_bytes()[16:24]) == (96, 72)  # x2 by the network, then Lanczos to x3
    repo = take.parents[3]
    assert git(repo, "log", "-1", "--format=%s").strip() == "take: SHOT-010 v01 take01 (sr-spandrel)"
    assert git(repo, "cat-file", "-p", f"HEAD:{task['take_path']}").startswith("version https://git-lfs")
    sidecar = json.loads(take.with_suffix(".json").read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert sidecar["params"] == {"network": "esrgan-x2.safetensors", "scale": 3}
    record = read_record(folder)
    assert record is not None
    network = sidecar["model"]["network"]
    assert (network["file"], network["architecture"]) == ("esrgan-x2.safetensors", "ESRGAN")
    assert network["sha256"] == record.files["esrgan-x2.safetensors"].sha256
