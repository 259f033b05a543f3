"""Why a node cannot be compiled into an execution plan; all are 422s with a sentence."""

from __future__ import annotations

from schemas.models.graph_validation import GraphIssue
from server.errors import InvalidInputError


class GraphCompileError(InvalidInputError):
    code = "graph_compile_failed"


class InvalidGraphError(GraphCompileError):
    code = "invalid_graph"

    def __init__(self, node_id: str, issues: list[GraphIssue]) -> None:
        first = issues[0]
        more = f" ({len(issues) - 1} more in 'issues')" if len(issues) > 1 else ""
        super().__init__(
            f"Node '{node_id}' cannot run while its part of the graph has errors: {first.message}{more}",
            field="graph",
            issues=[i.model_dump(mode="json", exclude_none=True) for i in issues],
        )
        self.issues = issues


class NodeNotInGraphError(GraphCompileError):
    code = "node_not_in_graph"

    def __init__(self, node_id: str) -> None:
        super().__init__(
            f"The graph has no node '{node_id}'; reload the project and pick a node on the canvas.",
            field="node_id",
        )


class NothingToRunError(GraphCompileError):
    code = "nothing_to_run"


class UnresolvedInputError(GraphCompileError):
    code = "unresolved_input"


class NoPipelineError(GraphCompileError):
    code = "no_pipeline"
