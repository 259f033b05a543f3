"""Where a node's takes go: its shot id (or, for a node that is not a shot, its id) and version, inside its
SceneGroup's scene (ARCHITECTURE §8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from server.errors import InvalidInputError
from server.takes.naming import DEFAULT_SCENE, ShotSlot, node_label


def nodes_by_id(graph: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The graph's nodes by id: built once by a caller that looks up many nodes (each lookup is then O(1))."""
    return {n["id"]: n for n in graph["nodes"]}


def slot_for(nodes: Mapping[str, dict[str, Any]], node_id: str) -> ShotSlot:
    """The slot of `node_id`; `nodes` is the graph's nodes by id (`nodes_by_id`)."""
    node = nodes[node_id]
    shot_id = node["data"].get("shot_id")
    if shot_id is None:
        shot_id = node_label(node_id)
    elif not isinstance(shot_id, str):
        raise InvalidInputError(f"Node '{node_id}': its shot_id must be a string like SHOT-010.", field="shot_id")
    scene = DEFAULT_SCENE
    parent = nodes.get(node.get("parentId", ""))
    if parent is not None and parent["type"] == "SceneGroupNode":
        scene = parent["data"].get("scene", DEFAULT_SCENE)
    version = node["data"].get("version", 1)
    try:
        return ShotSlot(scene, shot_id, int(version))
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"Node '{node_id}': {exc}.", field="shot_id") from exc
