"""Applying edit operations (schemas/ws-events GraphOp) to a graph, keeping it referentially whole."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from server.errors import GraphEditError

Graph = dict[str, Any]
Op = dict[str, Any]


class OpKind(StrEnum):
    ADD_NODE = "add_node"
    REMOVE_NODES = "remove_nodes"
    UPDATE_NODE_DATA = "update_node_data"
    MOVE_NODES = "move_nodes"
    ADD_EDGE = "add_edge"
    REMOVE_EDGES = "remove_edges"


def _nodes_by_id(graph: Graph) -> dict[str, dict[str, Any]]:
    return {node["id"]: node for node in graph["nodes"]}


def _require_node(nodes: dict[str, dict[str, Any]], node_id: str) -> dict[str, Any]:
    if node_id not in nodes:
        raise GraphEditError(
            f"There is no node '{node_id}' in the graph; resync (client:sync_request).", field="node_id"
        )
    return nodes[node_id]


def _add_node(graph: Graph, op: Op) -> Op:
    node = op["node"]
    nodes = _nodes_by_id(graph)
    if node["id"] in nodes:
        raise GraphEditError(
            f"A node with id '{node['id']}' already exists; give the new node a fresh id.", field="node.id"
        )
    if "parentId" in node:
        _require_node(nodes, node["parentId"])
    graph["nodes"].append(node)
    return op


def _remove_nodes(graph: Graph, op: Op) -> Op:
    nodes = _nodes_by_id(graph)
    for node_id in op["node_ids"]:
        _require_node(nodes, node_id)
    # Removing a group removes what it contains, as the canvas does.
    doomed = _with_descendants(graph["nodes"], set(op["node_ids"]))
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] not in doomed]
    graph["edges"] = [e for e in graph["edges"] if e["source"] not in doomed and e["target"] not in doomed]
    return {"op": OpKind.REMOVE_NODES.value, "node_ids": sorted(doomed)}


def _update_node_data(graph: Graph, op: Op) -> Op:
    node = _require_node(_nodes_by_id(graph), op["node_id"])
    for key, value in op["data"].items():
        if value is None:
            node["data"].pop(key, None)
        else:
            node["data"][key] = value
    return op


def _move_nodes(graph: Graph, op: Op) -> Op:
    nodes = _nodes_by_id(graph)
    for move in op["moves"]:
        _require_node(nodes, move["node_id"])
    regrouped = False
    # One after the other, so that a later move sees the groups an earlier one made (no loop slips through).
    for move in op["moves"]:
        node = nodes[move["node_id"]]
        node["position"] = move["position"]
        for size in ("width", "height"):
            if size in move:
                node[size] = move[size]
        if "parentId" in move:
            _set_parent(nodes, node, move["parentId"])
            regrouped = True
    if regrouped:
        graph["nodes"] = parents_first(graph["nodes"])
    return op


def _set_parent(nodes: dict[str, dict[str, Any]], node: dict[str, Any], parent_id: str | None) -> None:
    """Put `node` into the group `parent_id`, or out of any group for None. Whether the parent can hold
    nodes (a SceneGroup) is left to validation, which reports it as an issue on the node."""
    if parent_id is None:
        node.pop("parentId", None)
        return
    node_id = node["id"]
    if parent_id == node_id:
        raise GraphEditError(
            f"Node '{node_id}' cannot be its own parent; send the id of a group, or null to take it out of its group.",
            field="moves.parentId",
        )
    if parent_id not in nodes:
        raise GraphEditError(
            f"Node '{node_id}' cannot move into '{parent_id}': there is no such node; resync "
            "(client:sync_request) and choose an existing group.",
            field="moves.parentId",
        )
    if _contains(nodes, node_id, parent_id):
        raise GraphEditError(
            f"Node '{node_id}' cannot move into '{parent_id}', which is inside it; groups cannot contain "
            f"each other. Move '{parent_id}' out of '{node_id}' first.",
            field="moves.parentId",
        )
    node["parentId"] = parent_id


def _contains(nodes: dict[str, dict[str, Any]], group_id: str, node_id: str) -> bool:
    """Whether `node_id` sits inside `group_id`, at any depth."""
    seen: set[str] = set()
    current = nodes[node_id].get("parentId")
    # `seen` ends the walk on a loop of groups that an earlier REST save may have stored.
    while isinstance(current, str) and current in nodes and current not in seen:
        if current == group_id:
            return True
        seen.add(current)
        current = nodes[current].get("parentId")
    return False


def _with_descendants(nodes: list[dict[str, Any]], ids: set[str]) -> set[str]:
    """`ids` and every node they contain, transitively."""
    found = set(ids)
    grew = True
    while grew:
        children = {n["id"] for n in nodes if n.get("parentId") in found} - found
        found |= children
        grew = bool(children)
    return found


def parents_first(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`nodes` with every group before the nodes it contains, as Svelte Flow needs: a node listed before its
    parent moves, with what it contains, to just after the parent; all others keep their order.

    canvas_frontend/src/lib/graph/ops.ts `parentsFirst` is the same function: clients and server must agree.
    """
    present = {n["id"] for n in nodes}
    ordered: list[dict[str, Any]] = []
    placed_ids: set[str] = set()
    placed: set[int] = set()  # by identity: a graph saved over REST may repeat an id
    waiting: dict[str, list[dict[str, Any]]] = {}

    def place(node: dict[str, Any]) -> None:
        # A node, then what waited for it, depth first in list order (a stack, not recursion: nesting is unbounded).
        stack = [node]
        while stack:
            current = stack.pop()
            ordered.append(current)
            placed.add(id(current))
            placed_ids.add(current["id"])
            stack.extend(reversed(waiting.pop(current["id"], [])))

    for node in nodes:
        parent = node.get("parentId")
        if isinstance(parent, str) and parent in present and parent not in placed_ids:
            waiting.setdefault(parent, []).append(node)
        else:
            place(node)
    # Members of a loop of groups never get placed: they keep their order, at the end.
    ordered.extend(n for n in nodes if id(n) not in placed)
    return ordered


def _add_edge(graph: Graph, op: Op) -> Op:
    edge = op["edge"]
    nodes = _nodes_by_id(graph)
    if any(existing["id"] == edge["id"] for existing in graph["edges"]):
        raise GraphEditError(f"An edge with id '{edge['id']}' already exists.", field="edge.id")
    for end in ("source", "target"):
        if edge[end] not in nodes:
            raise GraphEditError(f"The edge's {end} '{edge[end]}' is not a node of the graph.", field=f"edge.{end}")
    graph["edges"].append(edge)
    return op


def _remove_edges(graph: Graph, op: Op) -> Op:
    present = {edge["id"] for edge in graph["edges"]}
    missing = [edge_id for edge_id in op["edge_ids"] if edge_id not in present]
    if missing:
        raise GraphEditError(
            f"There is no edge '{missing[0]}' in the graph; resync (client:sync_request).", field="edge_ids"
        )
    doomed = set(op["edge_ids"])
    graph["edges"] = [e for e in graph["edges"] if e["id"] not in doomed]
    return op


_APPLY = {
    OpKind.ADD_NODE: _add_node,
    OpKind.REMOVE_NODES: _remove_nodes,
    OpKind.UPDATE_NODE_DATA: _update_node_data,
    OpKind.MOVE_NODES: _move_nodes,
    OpKind.ADD_EDGE: _add_edge,
    OpKind.REMOVE_EDGES: _remove_edges,
}


def apply_ops(graph: Graph, ops: list[Op]) -> list[Op]:
    """Apply `ops` in order to `graph` (mutated); returns the ops as applied (removals spelled out).

    Raises GraphEditError and leaves the caller to discard `graph` if any op does not fit.
    """
    return [_APPLY[OpKind(op["op"])](graph, op) for op in ops]
