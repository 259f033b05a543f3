"""Every value that names a file is confined to its project: graphs cannot make the server read another
project's files, nor write outside 06_Exports.

Alice edits her own project's graph (any account may own a project); Bob's project next door holds a take
that must be neither read into Alice's project nor overwritten. A render is refused for its paths before
the studio asks for a worker; the worker refuses them too (a task queued before the upgrade).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from server.app import create_app
from server.assembly.job import RenderFinalVideo
from server.db.tables import Task, TaskState
from server.jobs.kinds import JobKind
from server.jobs.lifecycle import JobRuntime, run_job
from server.projects.git import GitRepo
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import make_settings
from tests.server.assembly.media import TakeRepo, sequence_graph
from tests.server.generation.conftest import shot_graph
from tests.support.factories import TestUser, create_project, make_user
from tests.support.recording_sink import RecordingSink

TAKE = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"


@pytest.fixture
def bobs_take(app: FastAPI, client: TestClient, bob: TestUser) -> Path:
    created = create_project(client, bob, "Bob Film")
    repo = TakeRepo(GitRepo(app.state.settings.projects_dir / created["slug"]))
    return repo.root / repo.add_take(10, "blue", 12, audio=None)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and ".git" not in p.parts}


def _save(client: TestClient, user: TestUser, project: dict[str, Any], graph: dict[str, Any]) -> None:
    saved = client.put(
        f"/api/v1/projects/{project['id']}", json={"version": project["version"], "graph": graph}, headers=user.headers
    )
    assert saved.status_code == 200, saved.text


def _render_as_the_worker(app: FastAPI, project: dict[str, Any], take_path: str, output_path: str) -> Task:
    """A render task as the worker runs it, its spec written by hand (the API would have refused it)."""
    take = {"node_id": "shot", "path": take_path, "take_id": Path(take_path).stem, "commit": None, "sha256": None}
    clip = {"take": take, "trim_in": 0, "trim_out": 0, "audio_offset": 0}
    sequence = {"node_id": "seq", "fps": 24, "clips": [clip], "transitions": [], "titles": [], "audio": []}
    spec = {"kind": JobKind.RENDER_FINAL_VIDEO.value, "sequence": sequence, "output_path": output_path}
    with Session(app.state.engine, expire_on_commit=False) as session:
        task = Task(
            id="render-1",
            project_id=project["id"],
            node_id="vse",
            kind=JobKind.RENDER_FINAL_VIDEO.value,
            queue="cpu",
            spec=spec,
        )
        session.add(task)
        session.commit()
    settings = app.state.settings
    run_job(
        JobRuntime(settings, app.state.engine, RecordingSink()),
        RenderFinalVideo(settings, app.state.engine),
        "render-1",
    )
    with Session(app.state.engine) as session:
        done = session.get(Task, "render-1")
        assert done is not None
        return done


def test_an_active_take_outside_the_project_is_neither_exported_nor_rendered(
    app: FastAPI, client: TestClient, alice: TestUser, bobs_take: Path
) -> None:
    project = create_project(client, alice, "Alice Film")
    root = app.state.settings.projects_dir / project["slug"]
    _save(client, alice, project, sequence_graph([str(bobs_take)]))  # an absolute path: Bob's take
    before = _snapshot(root)

    exported = client.post(f"/api/v1/projects/{project['id']}/sequences/seq/export", headers=alice.headers)
    rendered = client.post(f"/api/v1/projects/{project['id']}/assemble", json={"node_id": "seq"}, headers=alice.headers)

    for refused in (exported, rendered):
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == "active_take"
        assert "absolute" in refused.json()["error"]["message"]
    task = _render_as_the_worker(app, project, str(bobs_take), "06_Exports/seq.mp4")
    assert task.state is TaskState.FAILED and "absolute" in (task.error or "")
    assert _snapshot(root) == before  # nothing of Bob's was copied into Alice's exports or EDLs


def test_a_render_output_outside_06_exports_is_refused_and_never_written(
    app: FastAPI, client: TestClient, alice: TestUser, bobs_take: Path
) -> None:
    project = create_project(client, alice, "Alice Film")
    root = app.state.settings.projects_dir / project["slug"]
    own_take = TakeRepo(GitRepo(root)).add_take(10, "red", 12, audio=None)
    escape = f"../../{bobs_take.relative_to(bobs_take.parents[4]).with_suffix('')}"  # …/Bob-Film/03_Renders/…
    graph = sequence_graph([own_take])
    graph["nodes"].append(
        {"id": "vse", "type": "VSEAssemblerNode", "position": {"x": 0, "y": 0}, "data": {"output_name": escape}}
    )
    graph["edges"].append(
        {"id": "ev", "source": "seq", "sourceHandle": "edl", "target": "vse", "targetHandle": "sequence"}
    )
    _save(client, alice, project, graph)
    bobs_bytes = bobs_take.read_bytes()

    rendered = client.post(f"/api/v1/projects/{project['id']}/assemble", json={"node_id": "vse"}, headers=alice.headers)

    assert rendered.status_code in (400, 422), rendered.text
    assert rendered.json()["error"]["field"] == "output_name"
    task = _render_as_the_worker(app, project, own_take, f"06_Exports/{escape}.mp4")
    assert task.state is TaskState.FAILED and "06_Exports" in (task.error or "")
    assert bobs_take.read_bytes() == bobs_bytes


@pytest.mark.parametrize("how", ["absolute", "dotdot"])
def test_a_file_widget_or_asset_folder_outside_the_project_is_never_read(tmp_path: Path, how: str) -> None:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:  # a generate is refused for its paths, not its queue
        app = create_app(make_settings(tmp_path / "ws", redis_url=redis_server.url))
        app.state.events = RecordingSink()
        with TestClient(app) as client:
            alice, bob = (make_user(client, app.state.engine, name) for name in ("alice", "bob"))
            bobs = create_project(client, bob, "Bob Film")
            secret = app.state.settings.projects_dir / bobs["slug"] / "01_Assets/Source_Media/secret.png"
            secret.write_bytes(b"\x89PNG bob's unreleased still")
            outside = str(secret) if how == "absolute" else f"../{bobs['slug']}/01_Assets/Source_Media/secret.png"
            widget = shot_graph("cpu-upscale-lanczos", image=outside)
            asset = shot_graph("cpu-storyboard")
            hero = {"id": "hero", "type": "AssetNode", "position": {"x": 0, "y": 0}}
            asset["nodes"].append({**hero, "data": {"path": str(Path(outside).parent)}})
            asset["edges"].append(
                {"id": "ea", "source": "hero", "sourceHandle": "asset", "target": "shot", "targetHandle": "character"}
            )
            project = create_project(client, alice, "Alice Film")
            root = app.state.settings.projects_dir / project["slug"]

            for graph, words in (
                (widget, "which is not in the project"),
                (asset, "Node 'hero' (AssetNode) has settings that break"),
            ):
                project = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
                _save(client, alice, project, graph)
                before = _snapshot(root)
                body = {"project_id": project["id"], "node_id": "shot"}
                refused = client.post("/api/v1/tasks/generate_shot", json=body, headers=alice.headers)
                assert refused.status_code == 422, refused.text
                assert words in refused.json()["error"]["message"]
                assert _snapshot(root) == before

            with Session(app.state.engine) as session:
                assert session.exec(select(Task)).all() == []  # nothing was queued to read it later
        app.state.engine.dispose()
