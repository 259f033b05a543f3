from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from schemas import describe_errors
from server.config import Settings
from tests.conftest import make_settings
from tests.support.factories import TestUser, create_project
from tests.support.graphs import edge, graph, manifest, node, write_manifest


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    pipelines = tmp_path / "pipelines"
    write_manifest(pipelines, manifest("cpu-storyboard"))
    write_manifest(pipelines, {**manifest("broken"), "outputs": []})
    return make_settings(tmp_path / "workspace", database_url=database_url, pipeline_dirs=[pipelines])


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/v1/node-types"), ("GET", "/api/v1/pipelines"), ("POST", "/api/v1/projects/x/validate")],
)
def test_the_graph_routes_need_a_token(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_node_types_are_the_builtins_and_one_per_pipeline(client: TestClient, alice: TestUser) -> None:
    response = client.get("/api/v1/node-types", headers=alice.headers)
    assert response.status_code == 200
    by_id = {t["id"]: t for t in response.json()}
    assert {"ShotNode", "SequenceNode", "VSEAssemblerNode", "pipeline:cpu-storyboard"} <= set(by_id)
    assert "pipeline:broken" not in by_id
    storyboard = by_id["pipeline:cpu-storyboard"]
    assert (storyboard["origin"], storyboard["executor"], storyboard["cpu_only"]) == (
        "pipeline",
        "pipeline",
        True,
    )
    assert storyboard["inputs"][0] == {
        "name": "prompt",
        "type": "String",
        "required": True,
        "multiple": False,
        "optional": False,
        "widget": "textarea",
    }
    assert by_id["ShotNode"]["params"]["properties"]["shot_id"]["pattern"] == "^SHOT-[0-9]{3,4}$"


def test_pipelines_lists_valid_manifests_and_explains_broken_ones_to_admins(
    client: TestClient, alice: TestUser, user_factory: Callable[..., TestUser]
) -> None:
    root = user_factory("root", admin=True)
    body = client.get("/api/v1/pipelines", headers=root.headers).json()
    assert [p["id"] for p in body["pipelines"]] == ["cpu-storyboard"]
    assert body["pipelines"][0]["image"] == "studio/cpu-storyboard:1"
    [problem] = body["problems"]
    assert problem["path"].endswith("broken/pipeline.json")
    assert "outputs" in problem["message"] and "should be non-empty" in problem["message"]
    # The manifests' server paths are not everyone's business.
    as_user = client.get("/api/v1/pipelines", headers=alice.headers).json()
    assert [p["id"] for p in as_user["pipelines"]] == ["cpu-storyboard"] and as_user["problems"] == []


def test_validate_reports_the_issues_of_the_live_graph(client: TestClient, alice: TestUser) -> None:
    project = create_project(client, alice, "Night Train")
    clean = client.post(f"/api/v1/projects/{project['id']}/validate", headers=alice.headers)
    assert clean.status_code == 200
    assert clean.json() == {"valid": True, "issues": []}

    broken = graph(
        [
            node("shot", "ShotNode", {"shot_id": "SHOT-010", "prompt": "rain"}),
            node("restore", "VideoRestorationNode"),
            node("mystery", "TeleporterNode"),
        ],
        [edge("e1", "shot", "image", "restore", "video"), edge("e2", "shot", "video", "gone", "video")],
    )
    saved = client.put(
        f"/api/v1/projects/{project['id']}",
        json={"version": project["version"], "graph": broken},
        headers=alice.headers,
    )
    assert saved.status_code == 200, saved.text
    report = client.post(f"/api/v1/projects/{project['id']}/validate", headers=alice.headers).json()
    assert report["valid"] is False
    assert [(i["code"], i["node_id"], i.get("edge_id")) for i in report["issues"]] == [
        ("unknown_node_type", "mystery", None),
        ("incompatible_sockets", "restore", "e1"),
        ("dangling_edge", "shot", "e2"),
        ("missing_required_input", "restore", None),
    ]
    assert all(i["message"] and i["fix"] for i in report["issues"])
    assert describe_errors("graph-validation", report) == []


def test_validate_another_users_project_is_not_found(client: TestClient, alice: TestUser, bob: TestUser) -> None:
    project = create_project(client, alice, "Private")
    response = client.post(f"/api/v1/projects/{project['id']}/validate", headers=bob.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "project_not_found"
    assert client.post("/api/v1/projects/no-such-id/validate", headers=alice.headers).status_code == 404
