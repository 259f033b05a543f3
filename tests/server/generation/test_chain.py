"""FastAPI → Celery worker → pipeline → take in Git LFS → WebSocket, with real parts (PRD §9.2)."""

from __future__ import annotations

import hashlib
import json
import struct
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from schemas import validator
from tests.server.generation.conftest import Chain, shot_graph
from tests.support.factories import media_bytes


def repo_of(chain: Chain, project_id: str) -> Path:
    projects = chain.server.workspace / "Projects"
    return next(p for p in projects.iterdir() if json.loads((p / "project.json").read_text())["uuid"] == project_id)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_generate_reports_over_the_socket_and_commits_a_take(chain: Chain) -> None:
    chain.start_worker()
    # The node's own settings (task_type, label) must not reach the pipeline, which refuses unknown params.
    graph = shot_graph("cpu-storyboard", task_type="generate-image", label="opening")
    project_id = chain.project(graph, quality="low")
    socket = chain.socket(project_id)
    try:
        ack = socket.call("client:start_generation", {"node_id": "shot"})
        assert ack["ok"], ack
        task_id = ack["task_id"]
        events = socket.collect_until("server:task_success") + socket.collect_until("server:node_state_updated")
        states = [p["state"] for e, p in events if e == "server:node_state_updated"]
        assert states == ["queued", "generating", "done"]
        progress = [p for e, p in events if e == "server:task_progress"]
        assert progress and all(p["task_id"] == task_id for p in progress)
        success = next(p for e, p in events if e == "server:task_success")
    finally:
        socket.close()
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    assert success["result"]["output_url"] == f"/api/v1/projects/{project_id}/files/{take_path}"
    image = httpx.get(chain.server.url + success["result"]["output_url"], headers=chain.headers)
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    thumbnail = httpx.get(chain.server.url + success["result"]["take"]["thumbnail_url"], headers=chain.headers)
    assert thumbnail.status_code == 200
    repo = repo_of(chain, project_id)
    assert git(repo, "log", "-1", "--format=%s").strip() == "take: SHOT-010 v01 take01 (cpu-storyboard)"
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    sidecar = json.loads((repo / take_path.replace(".png", ".json")).read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert (sidecar["task_id"], sidecar["pipeline"]["id"], sidecar["params"]["aspect_ratio"]) == (
        task_id,
        "cpu-storyboard",
        "16:9",
    )
    task = chain.task(task_id)
    assert (task["state"], task["take_path"], task["progress"]) == ("succeeded", take_path, 100.0)
    takes = httpx.get(
        f"{chain.server.url}/api/v1/projects/{project_id}/takes", params={"node_id": "shot"}, headers=chain.headers
    ).json()
    assert [t["path"] for t in takes] == [take_path]


def test_a_file_widget_naming_an_uploaded_file_feeds_the_pipeline(chain: Chain, tmp_path: Path) -> None:
    chain.start_worker()
    project_id = chain.project(shot_graph("cpu-upscale-lanczos"), quality="low")
    still = media_bytes(tmp_path, "png")  # 32 x 24
    source = chain.feed_an_upload(project_id, still)
    done = chain.wait_for(chain.generate(project_id)["task_id"])
    assert done["state"] == "succeeded", done
    take = repo_of(chain, project_id) / done["take_path"]
    assert struct.unpack(">II", take.read_bytes()[16:24]) == (64, 48)  # the uploaded still, upscaled 2x
    sidecar = json.loads(take.with_suffix(".json").read_text())
    assert sidecar["inputs"]["image"] == {"path": source, "sha256": hashlib.sha256(still).hexdigest()}


def test_fallback_policy_on_a_cpu_host_yields_a_cpu_take_and_says_so(chain: Chain) -> None:
    chain.start_worker(gpus="none")
    project_id = chain.project(shot_graph(), quality="high", hardware_policy="fallback")
    socket = chain.socket(project_id)
    try:
        task = chain.generate(project_id)
        note = socket.expect("server:notification")
    finally:
        socket.close()
    assert note["code"] == "quality_fallback"
    assert note["message"] == (
        "High quality not available on current hardware. Fell back to CPU quality (Storyboard card (CPU))."
    )
    assert task["queue"] == task["spec"]["placement"]["queue"] == "cpu"
    done = chain.wait_for(task["task_id"])
    assert done["state"] == "succeeded", done
    sidecar = json.loads((repo_of(chain, project_id) / done["take_path"].replace(".png", ".json")).read_text())
    assert sidecar["pipeline"]["id"] == "cpu-storyboard"
    assert sidecar["quality"]["requested"] == "high"
    assert sidecar["quality"]["used"] == "cpu"
    assert sidecar["quality"]["fallback_reason"] == note["message"]


def test_queue_policy_waits_for_a_24_gb_worker_then_runs_there(chain: Chain) -> None:
    chain.start_worker(gpus="none")
    project_id = chain.project(shot_graph(), quality="high", hardware_policy="queue")
    socket = chain.socket(project_id)
    try:
        task = chain.generate(project_id)
        note = socket.expect("server:notification")
    finally:
        socket.close()
    assert note["code"] == "waiting_for_worker"
    assert "at least 24 GB" in note["message"]
    assert task["queue"] == task["spec"]["placement"]["queue"] == "gpu.24"
    time.sleep(3)
    assert chain.task(task["task_id"])["state"] == "queued"  # the CPU worker does not take it
    chain.start_worker(gpus='[{"name": "Test 24G", "vram_gb": 24}]')
    done = chain.wait_for(task["task_id"])
    assert done["state"] == "succeeded", done
    sidecar = json.loads((repo_of(chain, project_id) / done["take_path"].replace(".png", ".json")).read_text())
    assert (sidecar["pipeline"]["id"], sidecar["quality"]["used"]) == ("test-gpu-image", "high")
    *tiers, host = sidecar["worker"]["queue"].split(",")  # the queues the worker consumes, its host's last
    assert tiers == ["gpu.24", "gpu.16", "gpu.12", "cpu"] and host.startswith("host@")


def test_fifty_concurrent_generates_make_fifty_distinct_takes(chain: Chain) -> None:
    chain.start_worker(concurrency=2)
    project_id = chain.project(shot_graph("cpu-storyboard"), quality="low")
    with ThreadPoolExecutor(max_workers=10) as pool:
        tasks = list(pool.map(lambda _: chain.generate(project_id), range(50)))
    finished = [chain.wait_for(t["task_id"], timeout=300) for t in tasks]
    assert [t["state"] for t in finished] == ["succeeded"] * 50
    paths = sorted(t["take_path"] for t in finished)
    assert paths == [f"03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take{n:02d}.png" for n in range(1, 51)]
    repo = repo_of(chain, project_id)
    assert len([line for line in git(repo, "log", "--format=%s").splitlines() if line.startswith("take:")]) == 50
    subprocess.run(["git", "fsck", "--strict"], cwd=repo, check=True, capture_output=True)


def test_a_killed_worker_s_task_completes_elsewhere_with_one_take(chain: Chain) -> None:
    first = chain.start_worker()
    project_id = chain.project(shot_graph("test-slow", seconds=6), quality="low")
    task = chain.generate(project_id)
    running = chain.wait_for(task["task_id"], states=("running",))
    time.sleep(1)
    chain.kill_worker(first)  # kill -9, pool children included
    chain.start_worker()
    done = chain.wait_for(task["task_id"], timeout=120)
    assert done["state"] == "succeeded", done
    assert done["attempts"] == 2
    assert done["worker"] != running["worker"]  # the task names the worker that finished it
    repo = repo_of(chain, project_id)
    sidecars = list((repo / "03_Renders/SCENE_01/SHOT_010").glob("*.json"))
    assert [json.loads(s.read_text())["task_id"] for s in sidecars] == [task["task_id"]]


def test_cancel_kills_the_run_and_retry_starts_again(chain: Chain) -> None:
    chain.start_worker()
    project_id = chain.project(shot_graph("test-slow", seconds=60), quality="low")
    task = chain.generate(project_id)
    chain.wait_for(task["task_id"], states=("running",))
    socket = chain.socket(project_id)
    cancelled = httpx.post(f"{chain.server.url}/api/v1/tasks/{task['task_id']}/cancel", headers=chain.headers)
    assert cancelled.json()["state"] == "cancelled"
    time.sleep(2)  # the worker has killed the run by now; it must not report the cancel as a failure
    events = socket.drain()
    socket.close()
    assert [p["state"] for e, p in events if e == "server:node_state_updated"] == ["idle"]
    assert not [e for e, _ in events if e == "server:task_failed"]
    assert chain.task(task["task_id"])["state"] == "cancelled"
    # The worker killed the 60 s run: its one slot is free for the next task, which would otherwise still wait.
    quick = chain.project(shot_graph("cpu-storyboard"), quality="low")
    follow_up = chain.wait_for(chain.generate(quick)["task_id"], timeout=40)
    assert follow_up["state"] == "succeeded"
    assert not (repo_of(chain, project_id) / "03_Renders/SCENE_01").exists()
    again = httpx.post(f"{chain.server.url}/api/v1/tasks/{task['task_id']}/retry", headers=chain.headers)
    assert again.status_code == 202
    assert again.json()["task_id"] != task["task_id"]


def test_bad_requests_are_refused_with_reasons(chain: Chain) -> None:
    project_id = chain.project(shot_graph("cpu-storyboard", prompt=""), quality="low")
    no_node = httpx.post(
        f"{chain.server.url}/api/v1/tasks/generate_shot",
        json={"project_id": project_id, "node_id": "ghost"},
        headers=chain.headers,
    )
    assert no_node.status_code == 422
    assert "ghost" in no_node.json()["error"]["message"]
    unknown_task = httpx.get(f"{chain.server.url}/api/v1/tasks/nope", headers=chain.headers)
    assert unknown_task.status_code == 404


def test_a_node_that_is_not_a_shot_makes_takes_in_a_folder_named_after_it(chain: Chain) -> None:
    chain.start_worker()
    graph = {
        "schema_version": 1,
        "nodes": [
            {
                "id": "voice-1",
                "type": "AudioNode",
                "position": {"x": 0, "y": 0},
                "data": {"text": "The light must not go out."},
            }
        ],
        "edges": [],
    }
    project_id = chain.project(graph, quality="low")
    first = chain.wait_for(chain.generate(project_id, "voice-1")["task_id"])
    second = chain.wait_for(chain.generate(project_id, "voice-1")["task_id"])
    assert (first["state"], second["state"]) == ("succeeded", "succeeded"), (first, second)
    folder = "03_Renders/SCENE_01/NODE_voice1"
    assert (first["take_path"], second["take_path"]) == (
        f"{folder}/NODE-voice1_v01_take01.wav",
        f"{folder}/NODE-voice1_v01_take02.wav",
    )
    repo = repo_of(chain, project_id)
    assert (repo / first["take_path"]).read_bytes()[:4] == b"RIFF"
    sidecar = json.loads((repo / f"{folder}/NODE-voice1_v01_take01.json").read_text())
    assert validator("take-sidecar").is_valid(sidecar)
    assert (sidecar["node_id"], sidecar["shot_id"], sidecar["pipeline"]["id"]) == (
        "voice-1",
        "NODE-voice1",
        "cpu-tts-espeak",
    )
    takes = httpx.get(
        f"{chain.server.url}/api/v1/projects/{project_id}/takes", params={"node_id": "voice-1"}, headers=chain.headers
    ).json()
    assert [t["take"] for t in takes] == [1, 2]
