"""The canvas file: the checkpointed form of a project's live graph."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from schemas.models.canvas_graph import CanvasGraph
from server.projects.paths import existing_file, new_file

CANVASES_DIR = "02_Source_Creative/Canvases"  # where project-manifest's canvas_path pattern puts canvases


def canvas_bytes(graph: dict[str, Any]) -> bytes:
    return (json.dumps(graph, indent=2, ensure_ascii=False) + "\n").encode()


def read_canvas(repo_root: Path, canvas_path: str) -> dict[str, Any]:
    graph = CanvasGraph.model_validate_json(existing_file(repo_root, canvas_path).read_bytes())
    return graph.model_dump(mode="json", exclude_unset=True)


def write_canvas(repo_root: Path, canvas_path: str, graph: dict[str, Any]) -> None:
    target = new_file(repo_root, canvas_path, folder=CANVASES_DIR)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_bytes(canvas_bytes(graph))
    temporary.replace(target)
