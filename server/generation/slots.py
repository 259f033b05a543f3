"""Where a node's takes go: its shot id and version, inside its SceneGroup's scene (ARCHITECTURE §8)."""

from __future__ import annotations

from typing import Any

from server.errors import InvalidInputError
from server.takes.naming import DEFAULT_SCENE, ShotSlot


def slot_for(graph: dict[str, Any], node_id: str) -> ShotSlot:
    nodes = {n["id"]: n for n in graph["nodes"]}
    node = nodes[node_id]
    shot_id = node["data"].get("shot_id")
    if not isinstance(shot_id, str):
        raise InvalidInputError(
            f"Node '{node_id}' has no shot id, so its takes have no folder; set its shot_id (e.g. SHOT-010).",
            field="shot_id",
        )
    scene = DEFAULT_SCENE
    parent = nodes.get(node.get("parentId", ""))
    if parent is not None and parent["type"] == "SceneGroupNode":
        scene = parent["data"].get("scene", DEFAULT_SCENE)
    version = node["data"].get("version", 1)
    try:
        return ShotSlot(scene, shot_id, int(version))
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"Node '{node_id}': {exc}.", field="shot_id") from exc
