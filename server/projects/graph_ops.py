"""Applying graph ops (schemas/graph-ops.schema.json, GraphOp) to a graph, keeping it referentially whole."""

from __future__ import annotations

from typing import Any, assert_never

from pydantic import TypeAdapter, ValidationError

from schemas.models.graph_ops import (
    AddEdgeOp,
    AddNodeOp,
    GraphOp,
    MoveNodesOp,
    RemoveEdgesOp,
    RemoveNodesOp,
    UpdateNodeDataOp,
)
from server.errors import GraphEditError, InvalidInputError

# The live graph stays the JSON document it is stored as: an edit touches a few nodes of a graph of
# thousands, which are not worth parsing into models and back on every edit.
Graph = dict[str, Any]
# The graph's nodes by id, kept beside it (server.projects.live_graph) so that an edit finds its nodes without
# walking all of them; apply_ops keeps it in step with the graph.
NodeIndex = dict[str, dict[str, Any]]

GRAPH_OPS: TypeAdapter[list[GraphOp]] = TypeAdapter(list[GraphOp])


def graph_ops(raw: list[dict[str, Any]]) -> list[GraphOp]:
    """The typed ops of JSON ops (a client event's, which passed the schema already, or a test's)."""
    try:
        return GRAPH_OPS.validate_python(raw)
    except ValidationError as exc:
        # What the schema lets through but a model cannot hold (a number too large for a float).
        error = exc.errors()[0]
        where = "/".join(["ops", *(str(part) for part in error["loc"])])
        raise InvalidInputError(f"{where}: {error['msg']}. See schemas/graph-ops.schema.json.", field=where) from exc


def ops_json(ops: list[GraphOp]) -> list[dict[str, Any]]:
    """The ops as JSON, as a client sent them: what was absent stays absent (a move without parentId)."""
    dumped: list[dict[str, Any]] = GRAPH_OPS.dump_python(ops, mode="json", exclude_unset=True)
    return dumped


def node_index(graph: Graph) -> NodeIndex:
    return {node["id"]: node for node in graph["nodes"]}


def _require_node(nodes: NodeIndex, node_id: str) -> dict[str, Any]:
    if node_id not in nodes:
        raise GraphEditError(
            f"There is no node '{node_id}' in the graph; resync (client:sync_request).", field="node_id"
        )
    return nodes[node_id]


def _add_node(graph: Graph, nodes: NodeIndex, op: AddNodeOp) -> GraphOp:
    node = op.node.model_dump(mode="json", exclude_unset=True)
    if node["id"] in nodes:
        raise GraphEditError(
            f"A node with id '{node['id']}' already exists; give the new node a fresh id.", field="node.id"
        )
    if "parentId" in node:
        _require_node(nodes, node["parentId"])
    graph["nodes"].append(node)
    nodes[node["id"]] = node
    return op


def _remove_nodes(graph: Graph, nodes: NodeIndex, op: RemoveNodesOp) -> GraphOp:
    node_ids = [node_id.root for node_id in op.node_ids]
    for node_id in node_ids:
        _require_node(nodes, node_id)
    # Removing a group removes what it contains, as the canvas does.
    doomed = _with_descendants(graph["nodes"], set(node_ids))
    graph["nodes"] = [n for n in graph["nodes"] if n["id"] not in doomed]
    graph["edges"] = [e for e in graph["edges"] if e["source"] not in doomed and e["target"] not in doomed]
    for node_id in doomed:
        del nodes[node_id]
    return RemoveNodesOp.model_validate({"op": "remove_nodes", "node_ids": sorted(doomed)})


def _update_node_data(nodes: NodeIndex, op: UpdateNodeDataOp) -> GraphOp:
    node = _require_node(nodes, op.node_id)
    for key, value in op.data.root.items():
        if value is None:
            node["data"].pop(key, None)
        else:
            node["data"][key] = value
    return op


def _move_nodes(graph: Graph, nodes: NodeIndex, op: MoveNodesOp) -> GraphOp:
    for move in op.moves:
        _require_node(nodes, move.node_id)
    regrouped = False
    # One after the other, so that a later move sees the groups an earlier one made (no loop slips through).
    for move in op.moves:
        node = nodes[move.node_id]
        node["position"] = move.position.model_dump()
        if move.width is not None:
            node["width"] = move.width
        if move.height is not None:
            node["height"] = move.height
        # An absent parentId leaves the group as it is; null takes the node out of it.
        if "parentId" in move.model_fields_set:
            _set_parent(nodes, node, move.parentId.root if move.parentId else None)
            regrouped = True
    if regrouped:
        graph["nodes"] = parents_first(graph["nodes"])
    return op


def _set_parent(nodes: NodeIndex, node: dict[str, Any], parent_id: str | None) -> None:
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


def _contains(nodes: NodeIndex, group_id: str, node_id: str) -> bool:
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


def _add_edge(graph: Graph, nodes: NodeIndex, op: AddEdgeOp) -> GraphOp:
    edge = op.edge.model_dump(mode="json", exclude_unset=True)
    if any(existing["id"] == edge["id"] for existing in graph["edges"]):
        raise GraphEditError(f"An edge with id '{edge['id']}' already exists.", field="edge.id")
    for end in ("source", "target"):
        if edge[end] not in nodes:
            raise GraphEditError(f"The edge's {end} '{edge[end]}' is not a node of the graph.", field=f"edge.{end}")
    graph["edges"].append(edge)
    return op


def _remove_edges(graph: Graph, op: RemoveEdgesOp) -> GraphOp:
    present = {edge["id"] for edge in graph["edges"]}
    edge_ids = [edge_id.root for edge_id in op.edge_ids]
    missing = [edge_id for edge_id in edge_ids if edge_id not in present]
    if missing:
        raise GraphEditError(
            f"There is no edge '{missing[0]}' in the graph; resync (client:sync_request).", field="edge_ids"
        )
    doomed = set(edge_ids)
    graph["edges"] = [e for e in graph["edges"] if e["id"] not in doomed]
    return op


def _apply(graph: Graph, nodes: NodeIndex, op: GraphOp) -> GraphOp:
    match op:
        case AddNodeOp():
            return _add_node(graph, nodes, op)
        case RemoveNodesOp():
            return _remove_nodes(graph, nodes, op)
        case UpdateNodeDataOp():
            return _update_node_data(nodes, op)
        case MoveNodesOp():
            return _move_nodes(graph, nodes, op)
        case AddEdgeOp():
            return _add_edge(graph, nodes, op)
        case RemoveEdgesOp():
            return _remove_edges(graph, op)
        case _:
            assert_never(op)


def apply_ops(graph: Graph, ops: list[GraphOp], nodes: NodeIndex | None = None) -> list[GraphOp]:
    """Apply `ops` in order to `graph` (mutated); returns the ops as applied (removals spelled out). `nodes`, the
    graph's `node_index` kept by the caller, is kept in step; without it one is built for these ops.

    Raises GraphEditError and leaves the caller to discard `graph` (and `nodes`) if any op does not fit.
    """
    index = node_index(graph) if nodes is None else nodes
    return [_apply(graph, index, op) for op in ops]
