"""Hypothesis over socket edits that push at the graph limits: whatever is sent, the stored graph stays whole
and within the same limits a REST save is held to."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.realtime.conftest import Studio
from tests.server.realtime.test_fuzz import graph_is_whole

LIMITS = {"nodes": 6, "edges": 5, "ops": 4, "data": 1024}
ENV = {
    "STUDIO_GRAPH_MAX_NODES": str(LIMITS["nodes"]),
    "STUDIO_GRAPH_MAX_EDGES": str(LIMITS["edges"]),
    "STUDIO_GRAPH_MAX_OPS_PER_EDIT": str(LIMITS["ops"]),
    "STUDIO_GRAPH_MAX_NODE_DATA_BYTES": str(LIMITS["data"]),
    "STUDIO_SOCKET_EDITS_PER_SECOND": "100000",
}

ids = st.sampled_from([f"n{i}" for i in range(10)])
texts = st.text(max_size=40) | st.builds(lambda n: "x" * n, st.integers(0, 3 * LIMITS["data"]))
add_node = st.fixed_dictionaries(
    {
        "op": st.just("add_node"),
        "node": st.fixed_dictionaries(
            {
                "id": ids,
                "type": st.just("ShotNode"),
                "position": st.just({"x": 0, "y": 0}),
                "data": st.dictionaries(st.sampled_from(["prompt", "notes"]), texts, max_size=2),
            }
        ),
    }
)
add_edge = st.fixed_dictionaries(
    {"op": st.just("add_edge"), "edge": st.fixed_dictionaries({"id": ids, "source": ids, "target": ids})}
)
update = st.fixed_dictionaries(
    {"op": st.just("update_node_data"), "node_id": ids, "data": st.dictionaries(st.just("prompt"), texts)}
)
remove = st.fixed_dictionaries({"op": st.just("remove_nodes"), "node_ids": st.lists(ids, min_size=1, max_size=2)})
batches = st.lists(st.one_of(add_node, add_node, add_edge, update, remove), min_size=1, max_size=LIMITS["ops"] + 2)

pytestmark = pytest.mark.slow


def within_limits(graph: dict[str, Any]) -> bool:
    return (
        len(graph["nodes"]) <= LIMITS["nodes"]
        and len(graph["edges"]) <= LIMITS["edges"]
        and all(
            len(json.dumps(n["data"], separators=(",", ":"), ensure_ascii=False).encode()) <= LIMITS["data"]
            for n in graph["nodes"]
        )
    )


def test_edits_never_grow_a_graph_past_its_limits(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(**ENV)
    socket = studio.socket().connect()
    version = 1
    refusals: set[str] = set()

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(ops=batches)
    def send(ops: list[dict[str, Any]]) -> None:
        nonlocal version
        ack = socket.call("client:apply_ops", {"version": version, "ops": ops})
        assert isinstance(ack, dict) and isinstance(ack.get("ok"), bool), ack
        if ack["ok"]:
            version = ack["version"]
        else:
            refusals.add(ack["error"]["code"])
            assert ack["error"]["message"]

    try:
        send()
        assert socket.client.connected
        project = studio.get_project()
        stored: dict[str, Any] = project["graph"]  # type: ignore[assignment]
        assert project["version"] == version
        assert graph_is_whole(stored) and within_limits(stored)
        assert "graph_too_large" in refusals  # the strategies do reach the limits
    finally:
        socket.close()

    # REST holds the same line: one node more than the limit is refused there too.
    nodes = [{"id": f"r{i}", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}} for i in range(7)]
    response = httpx.put(
        f"{studio.server.url}/api/v1/projects/{studio.project_id}",
        json={"version": version, "graph": {"schema_version": 1, "nodes": nodes, "edges": []}},
        headers={"Authorization": f"Bearer {studio.tokens['alice']}"},
    )
    assert response.status_code == 413 and "STUDIO_GRAPH_MAX_NODES" in response.json()["error"]["message"]
