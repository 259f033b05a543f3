"""Nothing one user does can hang everyone: quotas, one set of graph limits for REST, socket edits and git
pushes, and a cap on socket edits per second."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.system.embedded_redis import EmbeddedRedis
from tests.conftest import make_settings
from tests.server.generation.conftest import shot_graph
from tests.server.realtime.conftest import Studio
from tests.support.factories import PASSWORD, create_project, make_user
from tests.support.git_client import GitClient, write
from tests.support.graphs import graph, node
from tests.support.live_server import LiveServer
from tests.support.recording_sink import RecordingSink
from tests.support.sockets import ProjectSocket


def test_one_user_cannot_own_more_projects_than_configured(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path / "ws", max_projects_per_user=2))
    with TestClient(app) as client:
        alice = make_user(client, app.state.engine, "alice")
        bob = make_user(client, app.state.engine, "bob")
        create_project(client, alice, "One")
        create_project(client, alice, "Two")
        refused = client.post("/api/v1/projects", json={"name": "Three"}, headers=alice.headers)
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "quota_exceeded"
        assert "STUDIO_MAX_PROJECTS_PER_USER" in refused.json()["error"]["message"]
        assert not (app.state.settings.projects_dir / "Three").exists()
        assert [p["name"] for p in client.get("/api/v1/projects", headers=alice.headers).json()] == ["Two", "One"]
        create_project(client, bob, "Three")  # the quota is per user
    app.state.engine.dispose()


def test_one_user_cannot_queue_more_tasks_than_configured(tmp_path: Path) -> None:
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        app = create_app(make_settings(tmp_path / "ws", redis_url=redis_server.url, max_queued_tasks_per_user=2))
        app.state.events = RecordingSink()  # no canvas is open; what would reach one is not the point here
        with TestClient(app) as client:
            alice = make_user(client, app.state.engine, "alice")
            project = create_project(client, alice)
            saved = client.put(
                f"/api/v1/projects/{project['id']}",
                json={"version": 1, "graph": shot_graph("cpu-storyboard")},
                headers=alice.headers,
            )
            assert saved.status_code == 200, saved.text

            def generate() -> httpx.Response:
                body = {"project_id": project["id"], "node_id": "shot"}
                return client.post("/api/v1/tasks/generate_shot", json=body, headers=alice.headers)

            first, second = generate(), generate()  # no worker runs: both stay queued
            assert first.status_code == second.status_code == 202, first.text
            refused = generate()
            assert refused.status_code == 403 and refused.json()["error"]["code"] == "quota_exceeded"
            assert "STUDIO_MAX_QUEUED_TASKS_PER_USER" in refused.json()["error"]["message"]

            cancel = client.post(f"/api/v1/tasks/{first.json()['task_id']}/cancel", headers=alice.headers)
            assert cancel.status_code == 200
            assert generate().status_code == 202
        app.state.engine.dispose()


PARALLEL = 8


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_parallel_requests_cannot_pass_a_quota_together(tmp_path: Path, database_url: str) -> None:
    """Every request of a burst counts the room the others are about to take: exactly the quota gets in."""
    with EmbeddedRedis(tmp_path / "redis") as redis_server:
        settings = make_settings(
            tmp_path / "ws",
            database_url=database_url,
            redis_url=redis_server.url,
            max_projects_per_user=2,
            max_queued_tasks_per_user=2,
        )
        app = create_app(settings)
        app.state.events = RecordingSink()
        with TestClient(app) as client, ThreadPoolExecutor(PARALLEL) as pool:
            alice = make_user(client, app.state.engine, "alice")

            def create(n: int) -> httpx.Response:
                return client.post("/api/v1/projects", json={"name": f"Film {n}"}, headers=alice.headers)

            created = list(pool.map(create, range(PARALLEL)))
            assert sorted(r.status_code for r in created) == [201] * 2 + [403] * (PARALLEL - 2), [
                r.text for r in created
            ]
            owned = client.get("/api/v1/projects", headers=alice.headers).json()
            assert len(owned) == 2
            assert sorted(p.name for p in settings.projects_dir.iterdir()) == sorted(
                p["slug"] for p in owned
            )  # a refused creation leaves no folder behind

            project = owned[0]
            saved = client.put(
                f"/api/v1/projects/{project['id']}",
                json={"version": project["version"], "graph": shot_graph("cpu-storyboard")},
                headers=alice.headers,
            )
            assert saved.status_code == 200, saved.text

            def generate(_: int) -> httpx.Response:
                body = {"project_id": project["id"], "node_id": "shot"}
                return client.post("/api/v1/tasks/generate_shot", json=body, headers=alice.headers)

            generated = list(pool.map(generate, range(PARALLEL)))
            assert sorted(r.status_code for r in generated) == [202] * 2 + [403] * (PARALLEL - 2), [
                r.text for r in generated
            ]
        app.state.engine.dispose()


SMALL_GRAPHS = {
    "STUDIO_GRAPH_MAX_NODES": "3",
    "STUDIO_GRAPH_MAX_OPS_PER_EDIT": "2",
    "STUDIO_GRAPH_MAX_NODE_DATA_BYTES": "2048",
}


def _shots(count: int, prompt: str = "x") -> list[dict[str, Any]]:
    return [node(f"s{i}", "ShotNode", {"prompt": prompt}) for i in range(count)]


def test_rest_socket_and_push_share_one_set_of_graph_limits(
    studio_factory: Callable[..., Studio], tmp_path: Path
) -> None:
    studio = studio_factory(**SMALL_GRAPHS)
    headers = {"Authorization": f"Bearer {studio.tokens['alice']}"}
    project_url = f"{studio.server.url}/api/v1/projects/{studio.project_id}"

    # REST: four nodes, or one node with too much data, is refused; nothing is stored.
    for too_big in (graph(_shots(4)), graph(_shots(1, prompt="p" * 4096))):
        refused = httpx.put(project_url, json={"version": 1, "graph": too_big}, headers=headers)
        assert refused.status_code == 413, refused.text
        assert refused.json()["error"]["code"] == "graph_too_large"
    saved = httpx.put(project_url, json={"version": 1, "graph": graph(_shots(3))}, headers=headers)
    assert saved.status_code == 200 and saved.json()["version"] == 2

    # Socket: the same limits on the graph an edit would make, and on the edit itself.
    socket = studio.socket().connect()
    try:
        fourth = socket.call("client:add_node", {"version": 2, "node": node("s3", "ShotNode")})
        assert fourth["ok"] is False and "STUDIO_GRAPH_MAX_NODES" in fourth["error"]["message"]
        bloated = socket.call(
            "client:update_node_data", {"version": 2, "node_id": "s0", "data": {"prompt": "p" * 4096}}
        )
        assert bloated["ok"] is False and "STUDIO_GRAPH_MAX_NODE_DATA_BYTES" in bloated["error"]["message"]
        moves = [{"op": "move_nodes", "moves": [{"node_id": "s0", "position": {"x": i, "y": 0}}]} for i in range(3)]
        batch = socket.call("client:apply_ops", {"version": 2, "ops": moves})
        assert batch["ok"] is False and "STUDIO_GRAPH_MAX_OPS_PER_EDIT" in batch["error"]["message"]
        assert socket.call("client:apply_ops", {"version": 2, "ops": moves[:2]}) == {"ok": True, "version": 3}
    finally:
        socket.close()
    assert [n["id"] for n in studio.get_project()["graph"]["nodes"]] == ["s0", "s1", "s2"]  # type: ignore[index]

    # Push: a canvas with four nodes is rejected by the pre-receive hook.
    git = GitClient("alice", PASSWORD, tmp_path)
    work = git.clone(f"{studio.server.url}/git/{studio.slug}.git", tmp_path / "clone")
    canvas = work / "02_Source_Creative/Canvases/main_canvas.json"
    write(canvas, json.dumps(graph(_shots(4))))
    git.run("commit", "-qam", "four shots", cwd=work)
    pushed = git.run("push", "origin", "main", cwd=work, check=False)
    assert pushed.returncode != 0 and "STUDIO_GRAPH_MAX_NODES" in pushed.stderr
    assert studio.get_project()["version"] == 3


def test_socket_edits_per_second_are_capped(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(STUDIO_SOCKET_EDITS_PER_SECOND="2")
    socket = studio.socket().connect()
    try:
        version, refusals = 1, []
        # However slow the machine, 40 edits do not all fall into different seconds two by two.
        for i in range(40):
            node_ack = socket.call("client:add_node", {"version": version, "node": node(f"n{i}", "ShotNode")})
            if node_ack["ok"]:
                version = node_ack["version"]
            else:
                refusals.append(node_ack)
        assert refusals and all(r["error"]["code"] == "rate_limited" and r["retry_after_s"] >= 1 for r in refusals)
        project = studio.get_project()
        assert project["version"] == version == 1 + 40 - len(refusals)
        assert len(project["graph"]["nodes"]) == 40 - len(refusals)  # type: ignore[index]
    finally:
        socket.close()


def test_socket_edits_on_two_server_processes_count_against_one_limit(
    studio_factory: Callable[..., Studio], second_server: Callable[..., LiveServer]
) -> None:
    # Alone, a server process counts socket edits itself (server/realtime/roster.py); beside another one, a user's
    # edits through either process count in Redis, together.
    studio = studio_factory(STUDIO_SOCKET_EDITS_PER_SECOND="4")
    other = second_server(studio, STUDIO_SOCKET_EDITS_PER_SECOND="4")
    here = studio.socket().connect()
    there = ProjectSocket(other.url, studio.tokens["alice"], studio.project_id).connect()
    try:
        version, accepted = 1, 0
        sent = time.monotonic()
        for i in range(10):
            ack = (here, there)[i % 2].call("client:add_node", {"version": version, "node": node(f"n{i}", "ShotNode")})
            if ack["ok"]:
                version, accepted = ack["version"], accepted + 1
        if time.monotonic() - sent < 0.9:  # all in one window: four of the ten, not four through each process
            assert accepted == 4
        else:  # a window that ended meanwhile let more through, never all of them
            assert 4 <= accepted < 10
        assert studio.get_project()["version"] == 1 + accepted
    finally:
        here.close()
        there.close()


def test_edits_sent_without_waiting_are_counted_one_by_one(studio_factory: Callable[..., Studio]) -> None:
    # They arrive while the first is applied and are applied as one batch, counted in one step: still the limit's
    # edits are applied and each one after them is refused.
    studio = studio_factory(STUDIO_SOCKET_EDITS_PER_SECOND="5")
    socket = studio.socket().connect()
    try:
        acks: dict[int, Any] = {}
        sent = time.monotonic()
        assert socket.call("client:add_node", {"version": 1, "node": node("a", "ShotNode")})["version"] == 2
        for i in range(12):
            move = {"version": 2 + i, "node_id": "a", "position": {"x": float(i), "y": 0.0}}
            socket.client.emit("client:update_node_position", move, callback=lambda ack, i=i: acks.update({i: ack}))
        deadline = time.monotonic() + 20
        while len(acks) < 12 and time.monotonic() < deadline:
            time.sleep(0.01)
        within_one_window = time.monotonic() - sent < 0.9
        accepted = [i for i in range(12) if acks[i]["ok"]]
        assert accepted == list(range(len(accepted)))  # the first ones, in order
        refused = [acks[i] for i in range(len(accepted), 12)]
        if within_one_window:  # the add_node and four moves fill the second
            assert len(accepted) == 4
            assert refused[0]["error"]["code"] == "rate_limited" and refused[0]["retry_after_s"] >= 1
        else:  # a window that ended meanwhile let more through
            assert len(accepted) >= 4
        assert studio.get_project()["version"] == 2 + len(accepted)
        position = studio.get_project()["graph"]["nodes"][0]["position"]  # type: ignore[index]
        assert position == {"x": len(accepted) - 1, "y": 0}
    finally:
        socket.close()
