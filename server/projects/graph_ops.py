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
    doomed = set(op["node_ids"])
    grew = True
    while grew:
        children = {n["id"] for n in graph["nodes"] if n.get("parentId") in doomed} - doomed
        doomed |= children
        grew = bool(children)
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
    for move in op["moves"]:
        nodes[move["node_id"]]["position"] = move["position"]
    return op


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
