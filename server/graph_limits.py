"""The size limits of a project graph: one definition that REST saves, socket edits and git pushes all apply."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

import orjson
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas import load_schema
from schemas.models.graph_ops import GraphOp
from server.errors import PayloadTooLargeError

# The schemas hold the ceilings (a graph or an edit beyond them is not a valid document at all);
# a deployment may configure lower limits, never higher ones.
_GRAPH_SCHEMA = load_schema("canvas-graph")["properties"]
NODES_CEILING: int = _GRAPH_SCHEMA["nodes"]["maxItems"]
EDGES_CEILING: int = _GRAPH_SCHEMA["edges"]["maxItems"]
OPS_CEILING: int = load_schema("ws-events")["$defs"]["ClientApplyOps"]["properties"]["ops"]["maxItems"]


def json_size(value: Any) -> int:
    """Bytes of `value` as compact JSON."""
    try:
        return len(orjson.dumps(value))
    except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits, which Python's json still writes
        return len(json.dumps(value, separators=(",", ":")).encode())


class GraphLimitError(PayloadTooLargeError):
    code = "graph_too_large"


class GraphLimits(BaseSettings):
    """Kept beside the server's Settings (not inside) so the pre-receive hook, a separate process, applies
    the same limits from the environment the server hands it (`as_env`)."""

    model_config = SettingsConfigDict(env_prefix="STUDIO_GRAPH_", extra="ignore")

    max_nodes: int = Field(default=NODES_CEILING, ge=1, le=NODES_CEILING, description="Nodes in one graph.")
    max_edges: int = Field(default=EDGES_CEILING, ge=1, le=EDGES_CEILING, description="Edges in one graph.")
    max_ops_per_edit: int = Field(
        default=OPS_CEILING, ge=1, le=OPS_CEILING, description="Graph operations in one socket edit."
    )
    max_node_data_bytes: int = Field(
        default=256 * 1024, ge=1024, description="One node's `data` as compact JSON (prompts, params, clips)."
    )
    max_graph_bytes: int = Field(default=32 * 1024**2, ge=1024, description="The whole graph as compact JSON.")

    def as_env(self) -> dict[str, str]:
        """The environment that makes `GraphLimits()` in a child process equal to this one."""
        return {f"STUDIO_GRAPH_{name.upper()}": str(value) for name, value in self.model_dump().items()}

    def check_ops(self, ops: list[GraphOp]) -> None:
        if len(ops) > self.max_ops_per_edit:
            raise GraphLimitError(
                f"This edit has {len(ops)} operations; at most {self.max_ops_per_edit} are accepted in one edit "
                "(STUDIO_GRAPH_MAX_OPS_PER_EDIT). Send it in smaller parts.",
                field="ops",
            )

    def check(
        self, graph: dict[str, Any], size_bytes: int | None = None, grown: Collection[dict[str, Any]] | None = None
    ) -> None:
        """GraphLimitError naming the first limit `graph` exceeds; `size_bytes` is its compact JSON size
        when the caller already has it serialised; `grown` holds the only nodes whose data may have grown (an
        edit of a graph that passed), None for all."""
        nodes, edges = graph.get("nodes", []), graph.get("edges", [])
        if len(nodes) > self.max_nodes:
            raise GraphLimitError(
                f"The graph would have {len(nodes)} nodes; a project holds at most {self.max_nodes} "
                "(STUDIO_GRAPH_MAX_NODES). Remove nodes or split the film into several projects.",
                field="nodes",
            )
        if len(edges) > self.max_edges:
            raise GraphLimitError(
                f"The graph would have {len(edges)} edges; a project holds at most {self.max_edges} "
                "(STUDIO_GRAPH_MAX_EDGES). Remove connections or split the project.",
                field="edges",
            )
        # An edit that changed no node's data (a move, an edge) checks no node.
        for node in nodes if grown is None else grown:
            data_bytes = json_size(node.get("data", {}))
            if data_bytes > self.max_node_data_bytes:
                raise GraphLimitError(
                    f"Node '{str(node.get('id'))[:128]}' holds {data_bytes} bytes of data; a node may hold at most "
                    f"{self.max_node_data_bytes} (STUDIO_GRAPH_MAX_NODE_DATA_BYTES). Keep long text and media in "
                    "files (uploads) and reference them.",
                    field="data",
                )
        size = size_bytes if size_bytes is not None else json_size(graph)
        if size > self.max_graph_bytes:
            raise GraphLimitError(
                f"The graph would be {size} bytes of JSON; a project's graph may be at most {self.max_graph_bytes} "
                "(STUDIO_GRAPH_MAX_GRAPH_BYTES). Remove nodes or move large values into files.",
                field="graph",
            )
