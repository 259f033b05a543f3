"""/api/v1/projects: create, list, open, save with optimistic locking, collaborators, bad input."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from server.config import Settings
from server.db.tables import Project
from tests.conftest import make_settings
from tests.support.factories import TestUser, create_project

SHOT_GRAPH: dict[str, Any] = {
    "schema_version": 1,
    "nodes": [
        {"id": "pipe-1", "type": "PipelineNode", "position": {"x": 0, "y": 0}, "data": {"pipeline_id": "t2i-sd1.5"}},
        {"id": "shot-010", "type": "ShotNode", "position": {"x": 300, "y": 0}, "data": {"prompt": "dusk"}},
    ],
    "edges": [
        {"id": "e1", "source": "pipe-1", "sourceHandle": "pipeline", "target": "shot-010", "targetHandle": "pipeline"}
    ],
}


def git_log(repo: Path) -> list[str]:
    out = subprocess.run(["git", "log", "--format=%s"], cwd=repo, capture_output=True, text=True, check=True)
    return out.stdout.splitlines()


def test_create_answers_with_the_new_project(client: TestClient, alice: TestUser) -> None:
    body = create_project(client, alice, "  Night Train  ", description="Noir", aspect_ratio="9:16", quality="low")
    assert body["name"] == "Night Train"
    assert (body["description"], body["aspect_ratio"], body["quality"]) == ("Noir", "9:16", "low")
    assert (body["role"], body["version"], body["slug"]) == ("owner", 1, "Night-Train")
    assert len(body["id"]) == 36


def test_get_returns_the_graph_from_the_canvas_file(client: TestClient, alice: TestUser) -> None:
    project = create_project(client, alice)
    body = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert body["graph"] == {"schema_version": 1, "nodes": [], "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}}
    assert body["canvas_path"] == "02_Source_Creative/Canvases/main_canvas.json"


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_put_saves_graph_bumps_version_and_commits_the_canvas(
    client: TestClient, alice: TestUser, settings: Settings
) -> None:
    project = create_project(client, alice)
    saved = client.put(
        f"/api/v1/projects/{project['id']}", json={"version": 1, "graph": SHOT_GRAPH}, headers=alice.headers
    )
    assert saved.status_code == 200, saved.text
    assert saved.json() == {"status": "success", "id": project["id"], "version": 2}
    body = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert (body["graph"], body["version"]) == (SHOT_GRAPH, 2)
    repo = settings.projects_dir / project["slug"]
    assert json.loads((repo / "02_Source_Creative/Canvases/main_canvas.json").read_text()) == SHOT_GRAPH
    assert git_log(repo)[0] == "canvas: save"


def test_put_with_stale_version_is_a_409_naming_the_current_version(client: TestClient, alice: TestUser) -> None:
    project = create_project(client, alice)
    url = f"/api/v1/projects/{project['id']}"
    assert client.put(url, json={"version": 1, "graph": SHOT_GRAPH}, headers=alice.headers).status_code == 200
    stale = client.put(url, json={"version": 1, "graph": {**SHOT_GRAPH, "nodes": []}}, headers=alice.headers)
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert (error["code"], error["current_version"], error["field"]) == ("version_conflict", 2, "version")
    assert "version 2" in error["message"]
    assert client.get(url, headers=alice.headers).json()["graph"] == SHOT_GRAPH  # nothing lost


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_of_concurrent_puts_on_one_version_exactly_one_wins(
    client: TestClient, alice: TestUser, engine: Engine
) -> None:
    project = create_project(client, alice)
    url = f"/api/v1/projects/{project['id']}"

    def put(i: int) -> int:
        graph = {**SHOT_GRAPH, "nodes": [{**SHOT_GRAPH["nodes"][0], "id": f"writer-{i}"}], "edges": []}
        return client.put(url, json={"version": 1, "graph": graph}, headers=alice.headers).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(put, range(8)))
    assert sorted(statuses) == [200] + [409] * 7
    with Session(engine) as session:
        row = session.exec(select(Project).where(Project.id == project["id"])).one()
    assert row.version == 2
    winner = json.loads(row.graph)["nodes"][0]["id"]
    assert winner.startswith("writer-")


def test_put_renames_and_changes_settings_in_project_json(
    client: TestClient, alice: TestUser, settings: Settings
) -> None:
    project = create_project(client, alice)
    response = client.put(
        f"/api/v1/projects/{project['id']}",
        headers=alice.headers,
        json={"version": 1, "name": "Day Train", "project_settings": {"quality": "high"}},
    )
    assert response.status_code == 200, response.text
    manifest = json.loads((settings.projects_dir / project["slug"] / "project.json").read_text())
    assert (manifest["title"], manifest["project_settings"]) == (
        "Day Train",
        {"aspect_ratio": "16:9", "quality": "high", "hardware_policy": "fallback"},
    )
    assert client.get("/api/v1/projects", headers=alice.headers).json()[0]["name"] == "Day Train"


@pytest.mark.parametrize(
    ("body", "field", "phrase"),
    [
        ({"name": ""}, "name", "at least 1 character"),
        ({"name": "   "}, "name", "empty"),
        ({"name": "x" * 101}, "name", "at most 100"),
        ({"name": "a/b"}, "name", "'/'"),
        ({"name": "..\\evil"}, "name", "'\\\\'"),
        ({"name": "tab\there"}, "name", "'\\t'"),
        ({"name": ".."}, "name", "only dots"),
        ({}, "name", "required"),
        ({"name": 42}, "name", "string"),
        ({"name": "Film", "quality": "ultra"}, "quality", "'low', 'standard' or 'high'"),
        ({"name": "Film", "aspect_ratio": "wide"}, "aspect_ratio", "pattern"),
        ({"name": "Film", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_bad_create_requests_name_the_field(
    client: TestClient, alice: TestUser, settings: Settings, body: dict[str, Any], field: str, phrase: str
) -> None:
    response = client.post("/api/v1/projects", json=body, headers=alice.headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert phrase in error["message"]
    assert not any(settings.projects_dir.iterdir())


def test_malformed_json_is_a_400_that_says_so(client: TestClient, alice: TestUser) -> None:
    response = client.post(
        "/api/v1/projects", content=b'{"name": "Film",', headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]


def test_duplicate_title_for_one_owner_is_refused_but_others_may_reuse_it(
    client: TestClient, alice: TestUser, bob: TestUser, settings: Settings
) -> None:
    create_project(client, alice, "Night Train")
    again = client.post("/api/v1/projects", json={"name": "night train"}, headers=alice.headers)
    assert again.status_code == 409
    assert again.json()["error"] == {
        "code": "duplicate_name",
        "field": "name",
        "message": "You already have a project named 'night train'; choose another name.",
    }
    bobs = create_project(client, bob, "Night Train")
    assert bobs["slug"] == "Night-Train-2"
    assert sorted(p.name for p in settings.projects_dir.iterdir()) == ["Night-Train", "Night-Train-2"]


def test_failed_scaffold_leaves_no_folder_and_no_row(
    tmp_path: Path, database_url: str, user_factory: Callable[..., TestUser]
) -> None:
    broken = tmp_path / "broken-template"
    broken.mkdir()
    for name in ("gitignore", "gitattributes"):
        (broken / name).write_text("")
    (broken / "project.json").write_text("{}")
    from server.app import create_app

    settings = make_settings(tmp_path / "ws2", database_url=database_url, template_dir=broken)
    with TestClient(create_app(settings)) as other:
        from tests.support.factories import make_user

        carol = make_user(other, other.app.state.engine, "carol")  # type: ignore[attr-defined]
        response = other.post("/api/v1/projects", json={"name": "Film"}, headers=carol.headers)
        assert response.status_code == 422
        assert "not a valid project manifest" in response.json()["error"]["message"]
        assert other.get("/api/v1/projects", headers=carol.headers).json() == []
    assert list(settings.projects_dir.iterdir()) == []


def test_unknown_project_is_404(client: TestClient, alice: TestUser) -> None:
    response = client.get("/api/v1/projects/00000000-0000-4000-8000-000000000000", headers=alice.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "project_not_found"


def test_collaborators_get_their_role(
    client: TestClient, alice: TestUser, bob: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    carol = user_factory("carol")
    project = create_project(client, alice)
    url = f"/api/v1/projects/{project['id']}"
    assert (
        client.put(f"{url}/members", json={"username": "bob", "role": "editor"}, headers=alice.headers).status_code
        == 200
    )
    assert (
        client.put(f"{url}/members", json={"username": "carol", "role": "viewer"}, headers=alice.headers).status_code
        == 200
    )
    assert client.get(f"{url}/members", headers=carol.headers).json() == [
        {"username": "alice", "role": "owner"},
        {"username": "bob", "role": "editor"},
        {"username": "carol", "role": "viewer"},
    ]
    assert [p["role"] for p in client.get("/api/v1/projects", headers=bob.headers).json()] == ["editor"]
    assert client.put(url, json={"version": 1, "graph": SHOT_GRAPH}, headers=bob.headers).status_code == 200
    viewer_put = client.put(url, json={"version": 2, "graph": SHOT_GRAPH}, headers=carol.headers)
    assert viewer_put.status_code == 403
    assert "viewer" in viewer_put.json()["error"]["message"]
    # Only the owner shares.
    assert (
        client.put(f"{url}/members", json={"username": "carol", "role": "editor"}, headers=bob.headers).status_code
        == 403
    )
    assert client.delete(f"{url}/members/carol", headers=alice.headers).status_code == 204
    assert client.get(url, headers=carol.headers).status_code == 404


def test_sharing_with_an_unknown_user_names_the_user(client: TestClient, alice: TestUser) -> None:
    project = create_project(client, alice)
    response = client.put(
        f"/api/v1/projects/{project['id']}/members", json={"username": "zed", "role": "viewer"}, headers=alice.headers
    )
    assert response.status_code == 404
    assert "zed" in response.json()["error"]["message"]


def test_non_finite_numbers_are_refused_not_stored(client: TestClient, alice: TestUser) -> None:
    project = create_project(client, alice)
    node = b'{"id": "a", "type": "ShotNode", "position": {"x": Infinity, "y": 0}, "data": {}}'
    body = b'{"version": 1, "graph": {"schema_version": 1, "nodes": [' + node + b'], "edges": []}}'
    response = client.put(
        f"/api/v1/projects/{project['id']}", content=body, headers={**alice.headers, "Content-Type": "application/json"}
    )
    assert response.status_code in (400, 422)
    assert client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()["version"] == 1
