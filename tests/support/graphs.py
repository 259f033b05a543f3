"""Typed builders for canvas graphs, pipeline manifests and an in-memory take store."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Json = dict[str, Any]


def node(node_id: str, node_type: str, data: Json | None = None, *, parent: str | None = None) -> Json:
    built: Json = {"id": node_id, "type": node_type, "position": {"x": 0, "y": 0}, "data": data or {}}
    if parent is not None:
        built["parentId"] = parent
    return built


def edge(edge_id: str, source: str, source_handle: str | None, target: str, target_handle: str | None) -> Json:
    return {
        "id": edge_id,
        "source": source,
        "sourceHandle": source_handle,
        "target": target,
        "targetHandle": target_handle,
    }


def graph(nodes: list[Json], edges: list[Json] | None = None) -> Json:
    return {"schema_version": 1, "nodes": nodes, "edges": edges or []}


def port(name: str, socket_type: str, **extra: Any) -> Json:
    return {"name": name, "type": socket_type, **extra}


def manifest(
    pipeline_id: str,
    *,
    task_type: str = "generate-image",
    category: str = "Generate",
    inputs: list[Json] | None = None,
    outputs: list[Json] | None = None,
    params: Json | None = None,
    deterministic: bool = True,
    gpu: bool = False,
    version: str = "1.0.0",
) -> Json:
    document: Json = {
        "schema_version": 1,
        "id": pipeline_id,
        "version": version,
        "title": pipeline_id.replace("-", " ").title(),
        "category": category,
        "task_type": task_type,
        "inputs": inputs if inputs is not None else [port("prompt", "String", required=True, widget="textarea")],
        "outputs": outputs if outputs is not None else [port("image", "Image")],
        "resources": {"gpu": gpu},
        "image": f"studio/{pipeline_id}:1",
        "deterministic": deterministic,
    }
    if params is not None:
        document["params"] = params
    return document


def write_manifest(pipelines_dir: Path, document: Json, folder: str | None = None) -> Path:
    target = pipelines_dir / (folder or document["id"]) / "pipeline.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(document), encoding="utf-8")
    return target


def write_mixing_pipelines(pipelines_dir: Path) -> None:
    """Pipelines to build random DAGs from: sources (no inputs) and mixers (1+ clips), deterministic ("-det")
    and not ("-rand"), each with an integer param `value`."""
    params = {"type": "object", "properties": {"value": {"type": "integer"}}}
    video = [port("video", "Video")]
    clips = [port("clips", "Video", required=True, multiple=True)]
    for suffix, deterministic in (("det", True), ("rand", False)):
        for kind, inputs in (("src", []), ("mix", clips)):
            document = manifest(
                f"{kind}-{suffix}", inputs=inputs, outputs=video, params=params, deterministic=deterministic
            )
            write_manifest(pipelines_dir, document)


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass
class MemoryTakeStore:
    """A project's files and takes in memory (implements server.graph.takes.TakeStore)."""

    files: dict[str, bytes] = field(default_factory=dict)
    takes: dict[str, str] = field(default_factory=dict)
    newest: dict[str, str] = field(default_factory=dict)  # node id -> its newest take

    def content_hash(self, path: str) -> str | None:
        return sha256(self.files[path]) if path in self.files else None

    def files_under(self, path: str) -> list[str]:
        if path in self.files:
            return [path]
        return sorted(f for f in self.files if f.startswith(path.rstrip("/") + "/"))

    def take_for(self, cache_key: str) -> str | None:
        return self.takes.get(cache_key)

    def contributed_take(self, nodes: Mapping[str, dict[str, Any]], node_id: str) -> str | None:
        node = nodes[node_id]
        chosen = node["data"].get("active_take")
        return chosen if isinstance(chosen, str) and chosen else self.newest.get(node_id)
