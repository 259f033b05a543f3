"""client:render_final_sequence through the real chain: live server, embedded Redis, a Celery worker process."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from server.media.probe import probe
from server.projects.git import GitRepo
from tests.server.assembly.media import TakeRepo, decode_errors, sequence_graph
from tests.server.generation.conftest import Chain, chain

__all__ = ["chain"]  # the live-chain fixture, shared with the generation tests


def _repo(chain: Chain, project_id: str) -> Path:
    projects = chain.server.workspace / "Projects"
    return next(p for p in projects.iterdir() if json.loads((p / "project.json").read_text())["uuid"] == project_id)


@pytest.mark.slow
def test_render_final_sequence_reports_progress_and_the_exported_file(chain: Chain) -> None:
    paths = [f"03_Renders/SCENE_01/SHOT_0{n}0/SHOT-0{n}0_v01_take01.mp4" for n in (1, 2)]
    graph = sequence_graph(paths, timeline=[{"node_id": "shot-1", "trim_in": 3}, {"node_id": "shot-0"}])
    graph["nodes"].append(
        {"id": "vse", "type": "VSEAssemblerNode", "position": {"x": 0, "y": 0}, "data": {"output_name": "final_cut"}}
    )
    graph["edges"].append(
        {"id": "ev", "source": "seq", "sourceHandle": "edl", "target": "vse", "targetHandle": "sequence"}
    )
    project_id = chain.project(graph)
    repo = TakeRepo(GitRepo(_repo(chain, project_id)))
    assert [repo.add_take(10, "red", 24), repo.add_take(20, "green", 30)] == paths
    chain.start_worker()
    socket = chain.socket(project_id)
    try:
        ack = socket.call("client:render_final_sequence", {"node_id": "vse"})
        assert ack["ok"], ack
        events = socket.collect_until("server:task_success", timeout=120)
    finally:
        socket.close()
    progress = [p["progress"] for e, p in events if e == "server:task_progress" and p["task_id"] == ack["task_id"]]
    assert progress and progress == sorted(progress)
    success = next(p for e, p in events if e == "server:task_success")
    assert success["result"]["output_url"] == f"/api/v1/projects/{project_id}/files/06_Exports/final_cut_v001.mp4"
    video = httpx.get(chain.server.url + success["result"]["output_url"], headers=chain.headers)
    assert video.status_code == 200
    out = repo.root / "06_Exports/final_cut_v001.mp4"
    assert out.read_bytes() == video.content
    assert probe(out).frames == 27 + 24 and decode_errors(out) == ""
    assert (repo.root / "04_Project_Files/EDLs/seq.edl").is_file()
    assert repo.repo.run("status", "--porcelain", "--", "06_Exports").strip() == ""  # ignored by git
    assert chain.task(ack["task_id"])["state"] == "succeeded"
    # Open canvases hear of the render; a reloaded one asks for the node's renders and gets the same list.
    announced = next(p for e, p in events if e == "server:renders_updated")
    assert announced["node_id"] == "vse"
    assert [(r["path"], r["frames"], r["fps"], r["task_id"]) for r in announced["renders"]] == [
        ("06_Exports/final_cut_v001.mp4", 51, 24, ack["task_id"])
    ]
    listed = httpx.get(f"{chain.server.url}/api/v1/projects/{project_id}/nodes/vse/renders", headers=chain.headers)
    assert listed.status_code == 200
    # created_at: when the job finished (announced) and when its row was marked succeeded (listed), a moment apart
    assert [{**r, "created_at": None} for r in listed.json()] == [
        {**r, "created_at": None} for r in announced["renders"]
    ]
