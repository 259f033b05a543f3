"""import_pushed_head: a commit range that changes the project files becomes one new version."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.db.tables import Project
from server.projects.git import GitRepo, studio_author
from server.projects.push_import import import_pushed_head
from tests.support.factories import TestUser, create_project
from tests.support.recording_sink import RecordingSink

CANVAS = "02_Source_Creative/Canvases/main_canvas.json"


def _commit_canvas(repo: GitRepo, nodes: list[dict[str, Any]]) -> str:
    graph = {"schema_version": 1, "nodes": nodes, "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}}
    (repo.root / CANVAS).write_text(json.dumps(graph))
    commit = repo.commit([CANVAS], "canvas", studio_author("alice"))
    assert commit is not None
    return commit


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_a_changed_canvas_is_imported_and_published(app: FastAPI, client: TestClient, alice: TestUser) -> None:
    created = create_project(client, alice)
    repo = GitRepo(app.state.settings.projects_dir / created["slug"])
    before = repo.run("rev-parse", "HEAD").strip()
    after = _commit_canvas(repo, [{"id": "n1", "type": "ShotNode", "position": {"x": 1, "y": 2}, "data": {}}])
    sink = RecordingSink()

    with Session(app.state.engine, expire_on_commit=False) as session:
        project = session.get(Project, created["id"])
        assert project is not None
        imported = import_pushed_head(session, repo, project, before, after, created["version"], sink)

    assert imported is not None and imported.version == created["version"] + 1
    assert json.loads(imported.graph)["nodes"][0]["id"] == "n1"
    assert sink.published == [
        (
            created["id"],
            "server:full_sync",
            {"graph": json.loads(imported.graph), "version": imported.version},
        )
    ]


def test_unchanged_project_files_import_nothing_and_no_sink_is_fine(
    app: FastAPI, client: TestClient, alice: TestUser
) -> None:
    created = create_project(client, alice)
    repo = GitRepo(app.state.settings.projects_dir / created["slug"])
    head = repo.run("rev-parse", "HEAD").strip()
    (repo.root / "02_Source_Creative/Scripts/notes.txt").write_text("notes\n")
    after = repo.commit(["02_Source_Creative/Scripts/notes.txt"], "notes", studio_author("alice"))
    assert after is not None
    changed = _commit_canvas(repo, [])

    with Session(app.state.engine, expire_on_commit=False) as session:
        project = session.get(Project, created["id"])
        assert project is not None
        assert import_pushed_head(session, repo, project, head, head, created["version"], None) is None
        assert import_pushed_head(session, repo, project, head, after, created["version"], None) is None
        # The template canvas already had no nodes: a rewrite with other formatting is still a change.
        imported = import_pushed_head(session, repo, project, after, changed, created["version"], None)
        assert imported is not None and imported.version == created["version"] + 1


def test_a_live_edit_newer_than_the_push_is_kept_and_the_clients_are_told(
    app: FastAPI, client: TestClient, alice: TestUser
) -> None:
    created = create_project(client, alice)
    repo = GitRepo(app.state.settings.projects_dir / created["slug"])
    before = repo.run("rev-parse", "HEAD").strip()
    after = _commit_canvas(repo, [{"id": "pushed", "type": "ShotNode", "position": {"x": 1, "y": 2}, "data": {}}])
    live = {
        "schema_version": 1,
        "nodes": [{"id": "live", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}}],
        "edges": [],
    }
    # The live graph moved on after the version the push was checked against.
    edited = client.put(
        f"/api/v1/projects/{created['id']}", json={"version": created["version"], "graph": live}, headers=alice.headers
    )
    assert edited.status_code == 200, edited.text
    sink = RecordingSink()

    with Session(app.state.engine, expire_on_commit=False) as session:
        project = session.get(Project, created["id"])
        assert project is not None
        assert import_pushed_head(session, repo, project, before, after, created["version"], sink) is None
        kept = session.get(Project, created["id"])

    assert kept is not None and kept.version == created["version"] + 1
    assert [n["id"] for n in json.loads(kept.graph)["nodes"]] == ["live"]
    [(project_id, event, payload)] = sink.published
    assert (project_id, event, payload["code"]) == (created["id"], "server:notification", "push_not_imported")
    assert after[:10] in payload["message"]
