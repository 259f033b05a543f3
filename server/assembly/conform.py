"""The warnings a Sequence shows for clips at another rate than its own ("Clip 3 (12 fps) is conformed to 24 fps by
frame duplication"): conformed, never refused, but the user should know (POST …/validate)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schemas.models.graph_validation import GraphIssue, IssueCode, Severity
from schemas.models.sequence import ConformMode
from server.assembly.sequence import DEFAULT_FPS, SEQUENCE_TYPE
from server.assembly.timeline import conform_note
from server.errors import StudioError
from server.graph.issues import issue
from server.projects.paths import existing_file
from server.takes.media import take_media
from server.takes.slots import nodes_by_id
from server.takes.store import contributed_take


def conform_issues(graph: dict[str, Any], repo_root: Path) -> list[GraphIssue]:
    """One warning per clip whose take is at another rate than its Sequence. Clips that cannot be read are left to
    the render, which says why."""
    found = []
    nodes = nodes_by_id(graph)
    for node in graph.get("nodes", []):
        if node.get("type") != SEQUENCE_TYPE or not isinstance(node.get("data"), dict):
            continue
        data = node["data"]
        fps = data.get("fps", DEFAULT_FPS)
        mode = data.get("conform", ConformMode.duplicate_drop.value)
        if not isinstance(fps, int) or mode not in ConformMode.__members__:
            continue  # the params check reports it
        connected = [
            e["source"]
            for e in graph.get("edges", [])
            if e["target"] == node["id"] and e.get("targetHandle") == "clips"
        ]
        entries = data.get("timeline") or [{"node_id": source} for source in connected]
        for index, entry in enumerate(entries):
            rate = _rate_of(nodes, entry.get("node_id") if isinstance(entry, dict) else None, repo_root)
            if rate is None or rate == fps:
                continue
            fix = f"None needed; or set the Sequence to {float(rate):g} fps, or make the take at {fps} fps."
            note = conform_note(index, rate, fps, ConformMode(mode))
            found.append(
                issue(IssueCode.sequence_conform, note, node_id=node["id"], severity=Severity.warning, fix=fix)
            )
    return found


def _rate_of(nodes: Mapping[str, dict[str, Any]], node_id: Any, repo_root: Path) -> Any:
    if not isinstance(node_id, str):
        return None
    try:
        take = contributed_take(repo_root, nodes, node_id)
        info = take_media(existing_file(repo_root, take)) if take else None
    except StudioError:
        return None
    return info.video.fps if info is not None and info.video is not None else None
