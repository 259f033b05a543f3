"""`studio reindex` (server/projects/index.py): rows follow their folders, and ids stay the database's."""

from __future__ import annotations

import json
import shutil

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.db.tables import Project
from server.projects.index import reindex
from tests.support.factories import TestUser, create_project


def test_a_renamed_folder_keeps_its_project_and_a_copied_one_is_skipped(
    app: FastAPI, client: TestClient, alice: TestUser
) -> None:
    created = create_project(client, alice, "Night Train")
    projects_dir = app.state.settings.projects_dir
    (projects_dir / created["slug"]).rename(projects_dir / "Night-Train-Final")

    with Session(app.state.engine) as session:
        renamed = reindex(session, app.state.settings)
        row = session.get(Project, created["id"])
    assert renamed.updated == ["Night-Train-Final"] and renamed.removed == []
    assert row is not None and row.slug == "Night-Train-Final"

    # A copy of the folder carries the same project.json uuid: it must not take over the project.
    copy = projects_dir / "Night-Train-Copy"
    copy.mkdir()
    for name in ("project.json", "02_Source_Creative"):
        source = projects_dir / "Night-Train-Final" / name
        if source.is_dir():
            shutil.copytree(source, copy / name)
        else:
            (copy / name).write_bytes(source.read_bytes())
    with Session(app.state.engine) as session:
        copied = reindex(session, app.state.settings)
        row = session.get(Project, created["id"])
    assert [s.split(":")[0] for s in copied.skipped] == ["Night-Train-Copy"]
    assert "carries the id of project 'Night-Train-Final'" in copied.skipped[0]
    assert row is not None and row.slug == "Night-Train-Final"


def test_a_reindexed_graph_replaces_what_a_running_server_holds(
    app: FastAPI, client: TestClient, alice: TestUser
) -> None:
    created = create_project(client, alice, "Night Train")
    before = client.get(f"/api/v1/projects/{created['id']}", headers=alice.headers).json()
    assert before["graph"]["nodes"] == []  # the server now holds this graph in its live-graph cache
    canvas = app.state.settings.projects_dir / created["slug"] / before["canvas_path"]
    edited = json.loads(canvas.read_text())
    edited["nodes"] = [{"id": "n1", "type": "Note", "position": {"x": 0, "y": 0}, "data": {"text": "from disk"}}]
    canvas.write_text(json.dumps(edited))

    with Session(app.state.engine) as session:
        reindex(session, app.state.settings)

    after = client.get(f"/api/v1/projects/{created['id']}", headers=alice.headers).json()
    assert [n["id"] for n in after["graph"]["nodes"]] == ["n1"]
    assert after["version"] == before["version"] + 1  # an open canvas at the old version must reload
