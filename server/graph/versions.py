"""Node type versions of saved nodes: same major upgrades in place, another major is flagged."""

from __future__ import annotations

import re

from schemas.models.canvas_graph import CanvasNode
from schemas.models.graph_validation import GraphIssue, IssueCode, Severity
from server.graph.catalogue import NodeSpec
from server.graph.issues import issue

TYPE_VERSION_KEY = "type_version"
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$")


def check_type_version(node: CanvasNode, spec: NodeSpec) -> GraphIssue | None:
    """None when the node carries no version or the current one; otherwise what upgrading does."""
    saved = node.data.get(TYPE_VERSION_KEY)
    current = spec.definition.version
    if saved is None or saved == current:
        return None
    match = _SEMVER.match(saved) if isinstance(saved, str) else None
    if match is None or int(match.group(1)) != spec.major_version:
        return issue(
            IssueCode.type_version_incompatible,
            f"Node '{node.id}' was saved with {spec.id} version {saved!r}, but this studio has version "
            f"{current}, whose major version differs; its data may not mean the same any more.",
            node_id=node.id,
            fix=f"Check the node's settings against {spec.id} {current} and set data.type_version to "
            f"'{current}', or replace the node.",
        )
    return issue(
        IssueCode.type_version_upgraded,
        f"Node '{node.id}' was saved with {spec.id} {saved}; it is upgraded in place to {current}.",
        node_id=node.id,
        severity=Severity.info,
    )


def upgrade_in_place(node: CanvasNode, spec: NodeSpec) -> GraphIssue | None:
    """Upgrade `node` to its type's current version when the major matches; never drops a node."""
    result = check_type_version(node, spec)
    if result is not None and result.code is IssueCode.type_version_upgraded:
        node.data[TYPE_VERSION_KEY] = spec.definition.version
    return result
