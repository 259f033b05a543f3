"""Graph edit operations: moves into and out of groups, and the parents-first order Svelte Flow needs."""

from __future__ import annotations

from typing import Any

import pytest

from server.errors import GraphEditError, InvalidInputError
from server.projects.graph_ops import apply_ops, graph_ops, node_index, ops_json, parents_first


def node(node_id: str, parent: str | None = None, node_type: str = "ShotNode") -> dict[str, Any]:
    made: dict[str, Any] = {"id": node_id, "type": node_type, "position": {"x": 0, "y": 0}, "data": {}}
    if parent is not None:
        made["parentId"] = parent
    return made


def graph(*nodes: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 1, "nodes": list(nodes), "edges": []}


def move(node_id: str, x: float = 10, **extra: Any) -> dict[str, Any]:
    return {"op": "move_nodes", "moves": [{"node_id": node_id, "position": {"x": x, "y": 20}, **extra}]}


def apply(document: dict[str, Any], ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ops, typed as the socket types them, applied; what was applied, as JSON."""
    return ops_json(apply_ops(document, graph_ops(ops)))


def ids(document: dict[str, Any]) -> list[str]:
    return [n["id"] for n in document["nodes"]]


def test_a_move_with_a_parent_sets_it_and_the_position_is_taken_as_given() -> None:
    document = graph(node("scene", node_type="SceneGroupNode"), node("shot"))
    applied = apply(document, [move("shot", 5, parentId="scene")])
    assert document["nodes"][1] == {**node("shot", "scene"), "position": {"x": 5, "y": 20}}
    assert applied == [move("shot", 5, parentId="scene")]


def test_null_clears_the_parent_key_and_absent_leaves_it() -> None:
    document = graph(node("scene", node_type="SceneGroupNode"), node("a", "scene"), node("b", "scene"))
    apply(document, [move("a", parentId=None), move("b")])
    assert "parentId" not in document["nodes"][1]
    assert document["nodes"][2]["parentId"] == "scene"
    assert document["nodes"][2]["position"] == {"x": 10, "y": 20}


@pytest.mark.parametrize(
    ("nodes", "moved", "parent", "phrase"),
    [
        ([node("a")], "a", "ghost", "cannot move into 'ghost': there is no such node"),
        ([node("a")], "a", "a", "Node 'a' cannot be its own parent"),
        ([node("g"), node("child", "g")], "g", "child", "cannot move into 'child', which is inside it"),
        ([node("g"), node("mid", "g"), node("leaf", "mid")], "g", "leaf", "which is inside it"),
    ],
)
def test_impossible_parents_are_refused_with_a_sentence(
    nodes: list[dict[str, Any]], moved: str, parent: str, phrase: str
) -> None:
    with pytest.raises(GraphEditError, match=phrase) as refused:
        apply(graph(*nodes), [move(moved, parentId=parent)])
    assert refused.value.field == "moves.parentId"


def test_a_later_move_in_the_same_op_cannot_close_a_loop() -> None:
    document = graph(node("g1"), node("g2"))
    both = {
        "op": "move_nodes",
        "moves": [
            {"node_id": "g1", "position": {"x": 0, "y": 0}, "parentId": "g2"},
            {"node_id": "g2", "position": {"x": 0, "y": 0}, "parentId": "g1"},
        ],
    }
    with pytest.raises(GraphEditError, match="'g2' cannot move into 'g1', which is inside it"):
        apply(document, [both])


def test_a_loop_saved_earlier_does_not_hang_the_check() -> None:
    document = graph(node("x", "y"), node("y", "x"), node("z"))
    apply(document, [move("z", parentId="x")])
    assert document["nodes"][2]["parentId"] == "x"


def test_grouping_into_a_group_added_later_puts_the_group_first() -> None:
    # The canvas adds a new group at the end and then moves the selection into it.
    document = graph(node("a"), node("b"), node("c"), node("a1", "a"))
    apply(
        document,
        [
            {"op": "add_node", "node": node("group", node_type="SceneGroupNode")},
            {
                "op": "move_nodes",
                "moves": [
                    {"node_id": "a", "position": {"x": 1, "y": 1}, "parentId": "group"},
                    {"node_id": "c", "position": {"x": 2, "y": 2}, "parentId": "group"},
                ],
            },
        ],
    )
    # a moves with what it contains (a1) to just behind the group; b keeps its place.
    assert ids(document) == ["b", "group", "a", "a1", "c"]


def test_parents_first_keeps_a_valid_order_and_survives_loops_and_repeated_ids() -> None:
    valid = [node("g"), node("x"), node("child", "g")]
    assert parents_first(valid) == valid
    looped = [node("p", "q"), node("q", "p"), node("free")]
    assert [n["id"] for n in parents_first(looped)] == ["free", "p", "q"]
    twins = [node("t", "late"), node("t"), node("late")]
    assert [n["id"] for n in parents_first(twins)] == ["t", "late", "t"]


def test_a_deep_reversed_chain_is_ordered_without_recursion_limits() -> None:
    depth = 5000
    chain = [node(f"n{i}", f"n{i + 1}" if i + 1 < depth else None) for i in range(depth)]
    ordered = parents_first(chain)
    assert [n["id"] for n in ordered] == [f"n{i}" for i in reversed(range(depth))]


def test_a_move_may_resize_a_group_and_leaves_the_size_alone_otherwise() -> None:
    scene = {**node("scene", node_type="SceneGroupNode"), "width": 720, "height": 460}
    document = graph(scene)
    apply(document, [move("scene", 0, width=900, height=500.5)])
    assert (document["nodes"][0]["width"], document["nodes"][0]["height"]) == (900, 500.5)
    apply(document, [move("scene", 40)])
    assert document["nodes"][0] == {**scene, "width": 900, "height": 500.5, "position": {"x": 40, "y": 20}}


def test_an_op_no_model_can_hold_is_refused_with_a_sentence() -> None:
    huge = {"op": "move_nodes", "moves": [{"node_id": "a", "position": {"x": 10**400, "y": 0}}]}
    where = "ops/0/move_nodes/moves/0/position/x"
    with pytest.raises(InvalidInputError, match=rf"^{where}: Input should be a valid number") as refused:
        graph_ops([huge])
    assert refused.value.field == where


def test_a_kept_node_index_follows_every_edit_and_a_removed_node_stays_removed() -> None:
    # The live graph keeps its index across edits (server.projects.live_graph): it must say what the graph holds.
    document = graph(node("scene", node_type="SceneGroupNode"), node("a", "scene"), node("b"))
    nodes = node_index(document)
    steps = [
        [{"op": "add_node", "node": node("c")}, move("b", parentId="scene")],
        [{"op": "update_node_data", "node_id": "c", "data": {"prompt": "dusk"}}],
        [{"op": "remove_nodes", "node_ids": ["scene"]}],  # and what it contains: a and b
    ]
    for ops in steps:
        apply_ops(document, graph_ops(ops), nodes)
        assert nodes == node_index(document)
        assert all(nodes[n["id"]] is n for n in document["nodes"])  # the graph's own nodes, not copies
    assert ids(document) == ["c"] and document["nodes"][0]["data"] == {"prompt": "dusk"}
    with pytest.raises(GraphEditError, match="There is no node 'b'"):
        apply_ops(document, graph_ops([move("b")]), nodes)
