"""The shots' takes over REST: per node, and every shot's at once for a canvas that opens."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from server.config import Settings
from server.projects.git import GitRepo, studio_author
from server.takes.naming import ShotSlot
from server.takes.store import commit_take
from tests.server.takes.test_store import output
from tests.support.factories import TestUser, create_project, take_fields
from tests.support.graphs import graph, node


def project_with_takes(client: TestClient, settings: Settings, alice: TestUser, tmp_path: Path) -> dict[str, Any]:
    """Shot a with two takes, shot b with none, a shot whose version is not a number, and a pipeline."""
    project = create_project(client, alice)
    nodes = [
        node("a", "ShotNode", {"shot_id": "SHOT-010"}),
        node("b", "ShotNode", {"shot_id": "SHOT-020"}),
        node("odd", "ShotNode", {"shot_id": "SHOT-030", "version": "one"}),
        node("p", "PipelineNode", {"pipeline_id": "cpu-storyboard"}),
    ]
    saved = client.put(
        f"/api/v1/projects/{project['id']}", json={"version": 1, "graph": graph(nodes)}, headers=alice.headers
    )
    assert saved.status_code == 200, saved.text
    repo = GitRepo(settings.projects_dir / project["slug"])
    slot = ShotSlot("SCENE_01", "SHOT-010", 1)
    for task, rgb in (("t1", (1, 2, 3)), ("t2", (4, 5, 6))):
        commit_take(repo, slot, output(tmp_path, f"{task}.png", rgb), take_fields(task), studio_author("alice"))
    return project


def test_every_shots_takes_come_in_one_answer_as_the_per_node_route_gives_them(
    client: TestClient, settings: Settings, alice: TestUser, tmp_path: Path
) -> None:
    project = project_with_takes(client, settings, alice, tmp_path)
    base = f"/api/v1/projects/{project['id']}/takes"

    by_node = client.get(f"{base}/by-node", headers=alice.headers).json()

    assert list(by_node) == ["a"]
    assert [t["take"] for t in by_node["a"]] == [1, 2]
    assert by_node["a"][0]["path"] == "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    assert by_node["a"] == client.get(base, params={"node_id": "a"}, headers=alice.headers).json()
    assert client.get(base, params={"node_id": "b"}, headers=alice.headers).json() == []
