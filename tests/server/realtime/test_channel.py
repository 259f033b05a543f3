"""The project channel against a real server: auth, live edits, conflicts, sync, durability."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import httpx
import pytest
import socketio

from server.projects.graph_ops import apply_ops, graph_ops
from tests.server.realtime.conftest import Studio
from tests.support.sockets import ProjectSocket


def node(node_id: str, x: float = 0, node_type: str = "ShotNode", **data: Any) -> dict[str, Any]:
    return {"id": node_id, "type": node_type, "position": {"x": x, "y": 0}, "data": data}


def test_connect_is_refused_without_valid_auth_or_permission(studio: Studio) -> None:
    cases = {
        "no auth": None,
        "bad token": {"token": "nope", "project_id": studio.project_id},
        "another user's project": {"token": studio.tokens["bob"], "project_id": studio.project_id},
        "unknown project": {"token": studio.tokens["alice"], "project_id": "missing"},
    }
    reasons = {}
    for label, auth in cases.items():
        client = socketio.Client(reconnection=False)
        errors: list[Any] = []
        client.on("connect_error", errors.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            client.connect(studio.server.url, auth=auth, socketio_path="/ws/socket.io", transports=["websocket"])
        reasons[label] = errors[0]["message"]
    assert "auth {token, project_id}" in reasons["no auth"]
    assert "not valid" in reasons["bad token"]
    assert "No project with id" in reasons["another user's project"]
    assert "No project with id" in reasons["unknown project"]


def test_edit_is_acked_with_the_new_version_and_broadcast_to_others(studio: Studio) -> None:
    alice, other_tab = studio.socket().connect(), studio.socket().connect()
    try:
        ack = alice.call("client:add_node", {"version": 1, "node": node("shot-010", prompt="dusk")})
        assert ack == {"ok": True, "version": 2}
        patch = other_tab.expect("server:graph_patch")
        assert patch["version"] == 2
        assert patch["ops"] == [{"op": "add_node", "node": node("shot-010", prompt="dusk")}]
        assert patch["origin"] == alice.client.get_sid()
        time.sleep(0.2)
        assert [e for e, _ in alice.drain()] == []  # the sender is not echoed its own patch
        body = studio.get_project()
        assert body["version"] == 2
        assert body["graph"]["nodes"] == [node("shot-010", prompt="dusk")]  # type: ignore[index]
    finally:
        alice.close()
        other_tab.close()


def test_edits_sent_without_waiting_reach_the_others_once_each_in_order_batched(studio: Studio) -> None:
    alice, bob = studio.socket().connect(), studio.socket().connect()
    try:
        acks: list[Any] = []
        moves = [{"node_id": "a", "position": {"x": float(i), "y": 0.0}} for i in range(15)]
        assert alice.call("client:add_node", {"version": 1, "node": node("a")})["version"] == 2
        # Sent at once, each on the version the one before makes: they arrive while the first is applied.
        for i, move in enumerate(moves):
            alice.client.emit("client:update_node_position", {"version": 2 + i, **move}, callback=acks.append)
        deadline = time.monotonic() + 10
        while len(acks) < len(moves) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sorted(ack["version"] for ack in acks) == list(range(3, 18))
        patches: list[dict[str, Any]] = []
        messages = 0
        while not patches or patches[-1]["version"] < 17:
            event, payload = bob.received.get(timeout=10)
            messages += 1
            patches.extend([payload] if event == "server:graph_patch" else payload["patches"])
        assert [p["version"] for p in patches] == list(range(2, 18))
        assert {p["origin"] for p in patches} == {alice.client.get_sid()}
        assert [p["ops"] for p in patches[1:]] == [[{"op": "move_nodes", "moves": [m]}] for m in moves]
        assert messages < len(patches)  # some came together, as one server:graph_patches message
        time.sleep(0.2)
        assert [e for e, _ in alice.drain()] == []  # the sender is not echoed its own patches
        assert studio.get_project()["graph"]["nodes"][0]["position"] == {"x": 14, "y": 0}  # type: ignore[index]
    finally:
        alice.close()
        bob.close()


def test_two_clients_converge_after_interleaved_edits(studio: Studio) -> None:
    first, second = studio.socket().connect(), studio.socket().connect()
    graphs: dict[str, dict[str, Any]] = {}
    versions = {"first": 1, "second": 1}
    try:
        for name in ("first", "second"):
            graphs[name] = {"schema_version": 1, "nodes": [], "edges": [], "viewport": {"x": 0, "y": 0, "zoom": 1}}
        sockets = {"first": first, "second": second}

        def catch_up(name: str) -> None:
            for event, payload in sockets[name].drain():
                if event == "server:graph_patch" and payload["version"] == versions[name] + 1:
                    apply_ops(graphs[name], graph_ops(payload["ops"]))
                    versions[name] = payload["version"]

        script = [
            ("first", "client:add_node", {"node": node("a", 0)}),
            ("second", "client:add_node", {"node": node("b", 300, "PipelineNode")}),
            (
                "first",
                "client:add_edge",
                {
                    "edge": {
                        "id": "e1",
                        "source": "b",
                        "sourceHandle": "pipeline",
                        "target": "a",
                        "targetHandle": "pipeline",
                    }
                },
            ),
            ("second", "client:update_node_data", {"node_id": "a", "data": {"prompt": "fog", "seed": 7}}),
            (
                "first",
                "client:update_node_position",
                {
                    "moves": [
                        {"node_id": "a", "position": {"x": 5, "y": 6}},
                        {"node_id": "b", "position": {"x": 9, "y": 9}},
                    ]
                },
            ),
            ("second", "client:update_node_data", {"node_id": "a", "data": {"seed": None}}),
            ("first", "client:add_node", {"node": node("c", 600)}),
            ("second", "client:remove_nodes", {"node_ids": ["b"]}),
        ]
        for name, event, payload in script:
            time.sleep(0.05)
            catch_up(name)
            ops = {"version": versions[name], **payload}
            ack = sockets[name].call(event, ops)
            assert ack["ok"], ack
            from server.realtime.payloads import ClientEvent, to_ops

            apply_ops(graphs[name], to_ops(ClientEvent(event), ops))
            versions[name] = ack["version"]
        time.sleep(0.3)
        catch_up("first")
        catch_up("second")
        server = studio.get_project()
        assert versions == {"first": 9, "second": 9}
        assert graphs["first"] == graphs["second"] == server["graph"]
        assert [n["id"] for n in server["graph"]["nodes"]] == ["a", "c"]  # type: ignore[index]
        assert server["graph"]["nodes"][0]["data"] == {"prompt": "fog"}  # type: ignore[index]
        assert server["graph"]["edges"] == []  # type: ignore[index]  # removed with node b
    finally:
        first.close()
        second.close()


def test_apply_ops_is_one_edit_with_one_version_and_one_patch(studio: Studio) -> None:
    alice, other_tab = studio.socket().connect(), studio.socket().connect()
    try:
        assert alice.call("client:add_node", {"version": 1, "node": node("a")})["version"] == 2
        other_tab.expect("server:graph_patch")
        group = node("scene", node_type="SceneGroupNode", scene="SCENE_02")
        ops = [
            {"op": "add_node", "node": group},
            {"op": "move_nodes", "moves": [{"node_id": "a", "position": {"x": 20, "y": 40}, "parentId": "scene"}]},
            {"op": "update_node_data", "node_id": "a", "data": {"prompt": "grouped"}},
        ]
        ack = alice.call("client:apply_ops", {"version": 2, "ops": ops})
        assert ack == {"ok": True, "version": 3}
        patch = other_tab.expect("server:graph_patch")
        assert (patch["version"], patch["ops"], patch["origin"]) == (3, ops, alice.client.get_sid())
        time.sleep(0.2)
        assert [e for e, _ in other_tab.drain()] == []  # one patch for the whole batch
        nodes = studio.get_project()["graph"]["nodes"]  # type: ignore[index]
        # The group was added after 'a', so 'a' now follows it: Svelte Flow needs parents first.
        assert nodes == [
            group,
            {**node("a", prompt="grouped"), "position": {"x": 20, "y": 40}, "parentId": "scene"},
        ]
    finally:
        alice.close()
        other_tab.close()


def test_apply_ops_with_one_bad_op_changes_nothing(studio: Studio) -> None:
    alice, other_tab = studio.socket().connect(), studio.socket().connect()
    try:
        ops = [
            {"op": "add_node", "node": node("a")},
            {"op": "add_node", "node": node("b")},
            {"op": "move_nodes", "moves": [{"node_id": "b", "position": {"x": 0, "y": 0}, "parentId": "b"}]},
        ]
        ack = alice.call("client:apply_ops", {"version": 1, "ops": ops})
        assert ack["ok"] is False
        assert ack["error"] == {
            "code": "invalid_edit",
            "message": "Node 'b' cannot be its own parent; send the id of a group, or null to take it out of its "
            "group.",
        }
        assert alice.expect("server:error")["event"] == "client:apply_ops"
        project = studio.get_project()
        assert (project["version"], project["graph"]["nodes"]) == (1, [])  # type: ignore[index]
        time.sleep(0.2)
        assert [e for e, _ in other_tab.drain()] == []
        assert alice.call("client:apply_ops", {"version": 1, "ops": ops[:2]}) == {"ok": True, "version": 2}
    finally:
        alice.close()
        other_tab.close()


def test_stale_version_gets_a_conflict_and_changes_nothing(studio: Studio) -> None:
    alice = studio.socket().connect()
    try:
        assert alice.call("client:add_node", {"version": 1, "node": node("a")})["ok"]
        ack = alice.call("client:add_node", {"version": 1, "node": node("b")})
        assert ack["ok"] is False
        assert (ack["error"]["code"], ack["version"]) == ("version_conflict", 2)
        assert alice.expect("server:conflict")["version"] == 2
        assert [n["id"] for n in studio.get_project()["graph"]["nodes"]] == ["a"]  # type: ignore[index]
    finally:
        alice.close()


@pytest.mark.parametrize(
    ("event", "payload", "phrase"),
    [
        ("client:add_node", {"version": 1, "node": {"id": "x"}}, "node: 'type' is a required property"),
        ("client:add_node", {"version": "one", "node": node("x")}, "version: 'one' is not of type 'integer'"),
        ("client:add_node", "not an object", "is not of type 'object'"),
        ("client:remove_nodes", {"version": 1, "node_ids": ["ghost"]}, "no node 'ghost'"),
        ("client:add_edge", {"version": 1, "edge": {"id": "e", "source": "x", "target": "y"}}, "not a node"),
        ("client:teleport", {"version": 1}, "Unknown event 'client:teleport'"),
        ("client:update_node_position", {"version": 1}, "is not valid under any of the given schemas"),
    ],
)
def test_malformed_events_get_server_error_and_change_nothing(
    studio: Studio, event: str, payload: Any, phrase: str
) -> None:
    alice = studio.socket().connect()
    try:
        ack = alice.call(event, payload)
        assert ack["ok"] is False
        assert phrase in ack["error"]["message"]
        error = alice.expect("server:error")
        assert error["message"] == ack["error"]["message"]
        assert error["event"] == event
        project = studio.get_project()
        assert (project["version"], project["graph"]["nodes"]) == (1, [])  # type: ignore[index]
    finally:
        alice.close()


def test_sync_request_answers_full_sync_with_graph_and_version(studio: Studio) -> None:
    alice = studio.socket().connect()
    try:
        alice.call("client:add_node", {"version": 1, "node": node("a")})
        assert alice.call("client:sync_request") == {"ok": True}
        sync = alice.expect("server:full_sync")
        assert sync["version"] == 2
        assert sync["graph"] == studio.get_project()["graph"]
    finally:
        alice.close()


def test_rest_put_shares_the_version_counter_and_reaches_open_canvases(studio: Studio) -> None:
    alice = studio.socket().connect()
    try:
        assert alice.call("client:add_node", {"version": 1, "node": node("a")})["version"] == 2
        graph = {"schema_version": 1, "nodes": [node("z")], "edges": []}
        response = httpx.put(
            f"{studio.server.url}/api/v1/projects/{studio.project_id}",
            json={"version": 2, "graph": graph},
            headers={"Authorization": f"Bearer {studio.tokens['alice']}"},
        )
        assert response.json()["version"] == 3
        sync = alice.expect("server:full_sync")
        assert (sync["version"], sync["graph"]) == (3, graph)
        stale = alice.call("client:add_node", {"version": 2, "node": node("b")})
        assert stale["version"] == 3
    finally:
        alice.close()


def git(studio: Studio, *args: str) -> str:
    repo = studio.server.workspace / "Projects" / studio.slug
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def test_autosave_commits_only_the_canvas_once_editing_pauses(studio: Studio) -> None:
    alice = studio.socket().connect()
    try:
        for version in range(1, 4):
            alice.call("client:add_node", {"version": version, "node": node(f"n{version}", version * 100)})
        assert git(studio, "log", "-1", "--format=%s").strip() == f"project: create '{studio.name}'"  # still editing
        deadline = time.monotonic() + 10
        while "canvas: autosave" not in git(studio, "log", "-1", "--format=%s") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert git(studio, "log", "-1", "--format=%s|%an").strip() == "canvas: autosave|alice"
        assert git(studio, "show", "--name-only", "--format=", "HEAD").split() == [
            "02_Source_Creative/Canvases/main_canvas.json"
        ]
        assert git(studio, "rev-list", "--count", "HEAD").strip() == "2"  # one autosave for three edits
        # Nothing changed since: an explicit save makes no commit.
        assert alice.call("client:save") == {"ok": True, "commit": None}
        assert git(studio, "rev-list", "--count", "HEAD").strip() == "2"
    finally:
        alice.close()


def test_acknowledged_edit_survives_kill_9_and_reconnect_resyncs(studio: Studio) -> None:
    alice = studio.socket(reconnection=True).connect()
    try:
        assert alice.call("client:add_node", {"version": 1, "node": node("kept", prompt="survives")})["ok"]
        before = studio.get_project()
        studio.server.kill()
        studio.server.start()  # the same port, workspace and database
        after = studio.get_project()
        assert (after["graph"], after["version"]) == (before["graph"], 2)
        # The client reconnects by itself; a sync request brings it the same graph.
        deadline = time.monotonic() + 20
        while not alice.client.connected and time.monotonic() < deadline:
            time.sleep(0.1)
        assert alice.client.connected
        alice.call("client:sync_request")
        assert alice.expect("server:full_sync")["graph"] == before["graph"]
    finally:
        alice.close()


def test_an_event_emitted_by_another_process_reaches_the_room(studio: Studio) -> None:
    alice = studio.socket().connect()
    try:
        code = (
            "import sys; from server.realtime.sink import RedisSink;"
            "from schemas.models.ws_events import ServerNotification;"
            "RedisSink(sys.argv[1]).publish(sys.argv[2], ServerNotification("
            "level='info', code='from_worker', message='hello from another process'))"
        )
        subprocess.run([sys.executable, "-c", code, studio.redis_url, studio.project_id], check=True, timeout=60)
        note = alice.expect("server:notification")
        assert note == {"level": "info", "code": "from_worker", "message": "hello from another process"}
    finally:
        alice.close()


def test_the_studios_own_task_events_reach_administrators_only(studio: Studio) -> None:
    """A studio task (a model pull) publishes to the studio room: every administrator's socket, whatever project
    it has open, and no one else's."""
    created = httpx.post(
        f"{studio.server.url}/api/v1/projects",
        json={"name": "Root's Film"},
        headers={"Authorization": f"Bearer {studio.tokens['root']}"},
    ).json()
    root = ProjectSocket(studio.server.url, studio.tokens["root"], created["id"]).connect()
    alice = studio.socket().connect()
    code = (
        "import sys; from server.realtime.sink import RedisSink;"
        "from schemas.models.ws_events import ServerTaskProgress, ServerNotification;"
        "sink = RedisSink(sys.argv[1]);"
        "sink.publish(None, ServerTaskProgress(task_id='pull-1', progress=40.0, step='Downloading'));"
        "sink.publish(sys.argv[2], ServerNotification(level='info', code='marker', message='after the pull'))"
    )
    try:
        subprocess.run([sys.executable, "-c", code, studio.redis_url, studio.project_id], check=True, timeout=60)
        assert root.expect("server:task_progress") == {"task_id": "pull-1", "progress": 40.0, "step": "Downloading"}
        # The marker was sent after the studio's event: had she heard that, it would have come first.
        heard = alice.collect_until("server:notification")
        assert [name for name, _ in heard if name.startswith("server:task")] == []
        assert heard[-1][1]["code"] == "marker"
    finally:
        root.close()
        alice.close()
