"""Hypothesis-generated events never crash the server nor corrupt the live graph."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import validator
from server.realtime.payloads import ClientEvent
from tests.server.realtime.conftest import Studio

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
ids = st.sampled_from(["a", "b", "c", "shot-010", "x y", "", "../../etc"])
positions = st.fixed_dictionaries({"x": st.floats(-1e6, 1e6), "y": st.floats(-1e6, 1e6)})
nodes = st.fixed_dictionaries(
    {
        "id": ids,
        "type": st.sampled_from(["ShotNode", "PipelineNode", "", "Weird Type"]),
        "position": positions,
        "data": st.dictionaries(st.text(max_size=8), json_values, max_size=3),
    },
    optional={"parentId": ids, "extra": json_values},
)
edges = st.fixed_dictionaries(
    {"id": ids, "source": ids, "target": ids},
    optional={"sourceHandle": st.text(max_size=10), "targetHandle": st.none()},
)
moves = st.lists(
    st.fixed_dictionaries({"node_id": ids, "position": positions}, optional={"parentId": ids | st.none()}),
    max_size=3,
)
graph_ops = st.one_of(
    st.fixed_dictionaries({"op": st.just("add_node"), "node": nodes}),
    st.fixed_dictionaries({"op": st.just("remove_nodes"), "node_ids": st.lists(ids, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"op": st.just("update_node_data"), "node_id": ids, "data": json_values}),
    st.fixed_dictionaries({"op": st.just("move_nodes"), "moves": moves}),
    st.fixed_dictionaries({"op": st.just("add_edge"), "edge": edges}),
    st.fixed_dictionaries({"op": st.sampled_from(["remove_edges", "teleport"]), "edge_ids": st.lists(ids, max_size=2)}),
)
versions = st.integers(-2, 6) | st.text(max_size=3) | st.none()
plausible = st.fixed_dictionaries(
    {"version": versions},
    optional={
        "node": nodes,
        "edge": edges,
        "node_ids": st.lists(ids, max_size=3),
        "edge_ids": st.lists(ids, max_size=3),
        "node_id": ids,
        "data": json_values,
        "position": positions,
        "moves": moves,
        "ops": st.lists(graph_ops, max_size=4),
        "take": st.text(max_size=10),
    },
)
events = st.sampled_from([e.value for e in ClientEvent if e is not ClientEvent.SAVE]) | st.text(max_size=15)
payloads = plausible | json_values


def graph_is_whole(graph: dict[str, Any]) -> bool:
    node_ids = [n["id"] for n in graph["nodes"]]
    edge_ids = [e["id"] for e in graph["edges"]]
    known = set(node_ids)
    return (
        validator("canvas-graph").is_valid(graph)
        and len(node_ids) == len(known)
        and len(edge_ids) == len(set(edge_ids))
        and all(e["source"] in known and e["target"] in known for e in graph["edges"])
        and all(n.get("parentId", n["id"]) in known for n in graph["nodes"])
        and parents_come_first(graph["nodes"])
    )


def parents_come_first(nodes: list[dict[str, Any]]) -> bool:
    """Every group is listed before what it contains (so no group contains itself, at any depth)."""
    seen: set[str] = set()
    for node in nodes:
        if "parentId" in node and node["parentId"] not in seen:
            return False
        seen.add(node["id"])
    return True


def test_random_events_never_crash_or_corrupt(studio: Studio) -> None:
    socket = studio.socket().connect()
    accepted = 0

    @settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(event=events, payload=payloads)
    def send(event: str, payload: Any) -> None:
        nonlocal accepted
        ack = socket.call(event, payload)
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
        if not ack["ok"]:
            assert ack["error"]["message"]
        elif "version" in ack:  # an accepted edit (sync requests ack without a version)
            accepted += 1

    try:
        send()
        assert socket.client.connected
        project = studio.get_project()
        assert graph_is_whole(project["graph"])  # type: ignore[arg-type]
        assert project["version"] == 1 + accepted
        # And the channel still takes a well-formed edit afterwards.
        good = {"id": "after-fuzz", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}}
        ack = socket.call("client:add_node", {"version": project["version"], "node": good})
        assert ack == {"ok": True, "version": 2 + accepted}
    finally:
        socket.close()
