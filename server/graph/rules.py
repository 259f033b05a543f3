"""The rules a canvas graph is checked by, one item (node, edge, group, loop) at a time: each builds its issues."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from schemas.models.canvas_graph import CanvasEdge, CanvasNode
from schemas.models.graph_validation import GraphIssue, IssueCode
from server.graph.catalogue import PIPELINE_TYPE_PREFIX, TEMPLATE_TYPE_PREFIX, Catalogue, NodeSpec
from server.graph.compatibility import can_feed
from server.graph.cycles import find_cycles
from server.graph.issues import issue, quote_list
from server.graph.structure import GraphView, Link
from server.graph.versions import upgrade_in_place


@dataclass(frozen=True)
class NodeCheck:
    """What one node's own content says: its type (None: unknown) and its issues, in the order they are reported:
    type and settings first, its pipeline reference among the graph's later checks."""

    spec: NodeSpec | None
    issues: list[GraphIssue]
    reference_issues: list[GraphIssue]


def check_node(node: CanvasNode, catalogue: Catalogue) -> NodeCheck:
    """Checks `node` against its type, upgrading its data in place when its major version matches."""
    spec = catalogue.spec(node.type)
    if spec is None:
        return NodeCheck(None, [unknown_type(node)], pipeline_reference_issues(node, catalogue))
    issues: list[GraphIssue] = []
    version_issue = upgrade_in_place(node, spec)
    if version_issue is not None:
        issues.append(version_issue)
    check_values(node, spec, issues)
    return NodeCheck(spec, issues, pipeline_reference_issues(node, catalogue))


def duplicate_node(node: CanvasNode) -> GraphIssue:
    return issue(
        IssueCode.duplicate_node_id,
        f"Two nodes have the id '{node.id}'; the second (type {node.type}) is ignored.",
        node_id=node.id,
        fix="Give every node a unique id.",
    )


def unknown_type(node: CanvasNode) -> GraphIssue:
    if node.type.startswith(PIPELINE_TYPE_PREFIX):
        pipeline_id = node.type.removeprefix(PIPELINE_TYPE_PREFIX)
        fix = (
            f"Add the pipeline folder pipeline_images/{pipeline_id}/ (or Library/Pipelines/{pipeline_id}/) "
            "with a valid pipeline.json, or remove the node."
        )
    elif node.type.startswith(TEMPLATE_TYPE_PREFIX):
        template_id = node.type.removeprefix(TEMPLATE_TYPE_PREFIX)
        fix = (
            f"Import the workflow again as template '{template_id}' (drop it on the canvas, or `studio templates "
            "import`), or remove the node."
        )
    else:
        fix = "Replace the node with one from the palette (GET /api/v1/node-types)."
    return issue(
        IssueCode.unknown_node_type,
        f"Node '{node.id}' has type '{node.type}', which this studio does not know; it is kept as is.",
        node_id=node.id,
        fix=fix,
    )


def check_values(node: CanvasNode, spec: NodeSpec, out: list[GraphIssue]) -> None:
    problems = spec.params_check.problems(spec.params_of(node.data))
    for name, check in spec.widget_checks.items():
        if node.data.get(name) not in (None, ""):  # empty means not filled in, as for required inputs
            problems.extend(f"{name}: {p.split(': ', 1)[1]}" for p in check.problems(node.data[name]))
    if problems:
        out.append(
            issue(
                IssueCode.invalid_params,
                f"Node '{node.id}' ({spec.id}) has settings that break its type: {'; '.join(problems[:3])}"
                + (f" (and {len(problems) - 3} more)." if len(problems) > 3 else "."),
                node_id=node.id,
                fix="Correct the values in the node's panel.",
            )
        )


def check_parents(view: GraphView, out: list[GraphIssue]) -> None:
    for node in view.nodes.values():
        if node.parentId is None:
            continue
        parent = view.nodes.get(node.parentId)
        if parent is None:
            out.append(
                issue(
                    IssueCode.unknown_parent,
                    f"Node '{node.id}' sits in group '{node.parentId}', which does not exist.",
                    node_id=node.id,
                    fix="Move the node out of the group (clear parentId) or into an existing Scene.",
                )
            )
        elif parent.id == node.id or not _is_container(view, parent.id):
            out.append(
                issue(
                    IssueCode.parent_not_a_group,
                    f"Node '{node.id}' sits in '{parent.id}', a {parent.type}, but only a Scene group can hold nodes.",
                    node_id=node.id,
                    fix="Move the node into a SceneGroupNode or clear its parentId.",
                )
            )
    # Only a node whose parent has a parent can be part of a loop of groups.
    parents = {
        n.id: [n.parentId]
        for n in view.nodes.values()
        if n.parentId and n.parentId != n.id and getattr(view.nodes.get(n.parentId), "parentId", None)
    }
    for members in find_cycles(list(parents), parents):
        for member in members:
            out.append(
                issue(
                    IssueCode.parent_cycle,
                    f"Groups {quote_list(members)} contain each other, so none of them is on the canvas.",
                    node_id=member,
                    fix=f"Clear the parentId of '{members[0]}'.",
                )
            )


def _is_container(view: GraphView, node_id: str) -> bool:
    spec = view.specs.get(node_id)
    return spec is not None and bool(spec.definition.container)


def _resolve_handle(handle: str | None, ports: dict[str, Any]) -> str | None:
    """The port an edge handle names; an edge without a handle means the only port, if there is one."""
    if handle is None:
        return next(iter(ports)) if len(ports) == 1 else None
    return handle if handle in ports else None


def duplicate_edge(edge: CanvasEdge, view: GraphView) -> GraphIssue:
    return issue(
        IssueCode.duplicate_edge_id,
        f"Two edges have the id '{edge.id}'; the second is ignored.",
        node_id=edge.target if edge.target in view.nodes else None,
        edge_id=edge.id,
        fix="Give every edge a unique id.",
    )


def check_edge(edge: CanvasEdge, view: GraphView, out: list[GraphIssue]) -> Link | None:
    if edge.source not in view.nodes or edge.target not in view.nodes:
        missing = [end for end in (edge.source, edge.target) if end not in view.nodes]
        out.append(
            issue(
                IssueCode.dangling_edge,
                f"Edge '{edge.id}' connects {quote_list(missing)}, which "
                f"{'is' if len(missing) == 1 else 'are'} not in the graph.",
                node_id=next((end for end in (edge.target, edge.source) if end in view.nodes), None),
                edge_id=edge.id,
                fix="Delete the edge.",
            )
        )
        return None
    source_spec, target_spec = view.specs.get(edge.source), view.specs.get(edge.target)
    if source_spec is None or target_spec is None:
        return None  # the unknown node type is already reported; its sockets are unknown
    output = _resolve_handle(edge.sourceHandle, source_spec.outputs)
    target_input = _resolve_handle(edge.targetHandle, target_spec.inputs)
    if output is None or target_input is None:
        for handle, name, spec, side, ports in (
            (edge.sourceHandle, output, source_spec, "output", source_spec.outputs),
            (edge.targetHandle, target_input, target_spec, "input", target_spec.inputs),
        ):
            if name is None:
                out.append(
                    issue(
                        IssueCode.unknown_handle,
                        f"Edge '{edge.id}' uses {side} {handle!r} of {spec.id}, which has "
                        f"{side}s {quote_list(list(ports)) or 'none'}.",
                        node_id=edge.target,
                        edge_id=edge.id,
                        fix="Delete the edge and connect an existing socket.",
                    )
                )
        return None
    source_type = source_spec.outputs[output].type
    target_type = target_spec.inputs[target_input].type
    if not can_feed(source_type, target_type):
        out.append(
            issue(
                IssueCode.incompatible_sockets,
                f"Edge '{edge.id}' feeds {source_type} output '{output}' of '{edge.source}' into "
                f"{target_type} input '{target_input}' of '{edge.target}'; {source_type} cannot be used "
                f"as {target_type}.",
                node_id=edge.target,
                edge_id=edge.id,
                fix=f"Connect a {target_type} output instead, or insert a node that converts.",
            )
        )
        return None
    return Link(edge.id, edge.source, output, edge.target, target_input)


def check_connection_counts(view: GraphView, out: list[GraphIssue]) -> None:
    for node_id, inputs in view.inbound.items():
        spec = view.specs[node_id]
        for name, links in inputs.items():
            if len(links) > 1 and not spec.inputs[name].multiple:
                out.append(
                    issue(
                        IssueCode.too_many_connections,
                        f"Input '{name}' of node '{node_id}' takes one connection but has {len(links)} "
                        f"(edges {quote_list([link.edge_id for link in links])}).",
                        node_id=node_id,
                        edge_id=links[1].edge_id,
                        fix="Remove all but one of these edges.",
                    )
                )


def required_input_issues(
    node_id: str, spec: NodeSpec, data: dict[str, Any], connected: Collection[str]
) -> list[GraphIssue]:
    """The required inputs of one node that are neither connected nor filled in."""
    out: list[GraphIssue] = []
    for name, port in spec.inputs.items():
        if not port.required or name in connected:
            continue
        if data.get(name) not in (None, "") or port.default not in (None, ""):
            continue
        how = f"type a value into '{name}' or connect" if port.widget else "connect"
        out.append(
            issue(
                IssueCode.missing_required_input,
                f"Node '{node_id}' ({spec.id}) needs input '{name}' ({port.type}), which is empty.",
                node_id=node_id,
                fix=f"{how.capitalize()} a {port.type} output to it.",
            )
        )
    return out


def cycle_issues(links: list[Link]) -> list[GraphIssue]:
    out: list[GraphIssue] = []
    successors: dict[str, list[str]] = {}
    for link in links:
        successors.setdefault(link.source, []).append(link.target)
    for members in find_cycles(list(successors), successors):
        for member in members:
            out.append(
                issue(
                    IssueCode.cycle,
                    f"Nodes {quote_list(members)} feed each other in a loop, so none of them can run.",
                    node_id=member,
                    fix="Remove one of the edges between them.",
                )
            )
    return out


def pipeline_reference_issues(node: CanvasNode, catalogue: Catalogue) -> list[GraphIssue]:
    """A Pipeline node must name an installed pipeline, at the installed version if it pins one."""
    if node.type != "PipelineNode" or not isinstance(node.data.get("pipeline_id"), str):
        return []
    node_id = node.id
    pipeline_id, pinned = node.data["pipeline_id"], node.data.get("version")
    manifest = catalogue.pipelines.get(pipeline_id)
    if manifest is None:
        return [
            issue(
                IssueCode.unknown_pipeline,
                f"Pipeline node '{node_id}' names pipeline '{pipeline_id}', which is not installed.",
                node_id=node_id,
                fix="Choose an installed pipeline (GET /api/v1/pipelines) or add its folder.",
            )
        ]
    if isinstance(pinned, str) and pinned != manifest.version:
        return [
            issue(
                IssueCode.pipeline_version_mismatch,
                f"Pipeline node '{node_id}' pins '{pipeline_id}' {pinned}, but {manifest.version} is installed.",
                node_id=node_id,
                fix=f"Clear the pinned version or set it to {manifest.version}.",
            )
        ]
    return []


def sequence_timeline_issues(node: CanvasNode, view: GraphView) -> list[GraphIssue]:
    """A Sequence's timeline may only cut clips connected to it; transitions sit between its clips."""
    out: list[GraphIssue] = []
    timeline = node.data.get("timeline")
    if node.type != "SequenceNode" or not isinstance(timeline, list):
        return out
    node_id = node.id
    connected = {link.source for link in view.inputs_of(node_id).get("clips", [])}
    listed = [c.get("node_id") for c in timeline if isinstance(c, dict)]
    strangers = [str(c) for c in listed if c not in connected]
    if strangers:
        out.append(
            issue(
                IssueCode.sequence_timeline,
                f"Sequence '{node_id}' cuts {quote_list(strangers)} in its timeline, but "
                f"{'that node is' if len(strangers) == 1 else 'those nodes are'} not connected to its "
                "clips input.",
                node_id=node_id,
                fix="Connect the clip to the Sequence, or remove it from the timeline.",
            )
        )
    transitions = node.data.get("transitions")
    for transition in transitions if isinstance(transitions, list) else []:
        after = transition.get("after_clip") if isinstance(transition, dict) else None
        if isinstance(after, int) and not 0 <= after < len(listed) - 1:
            out.append(
                issue(
                    IssueCode.sequence_timeline,
                    f"Sequence '{node_id}' has a transition after clip {after}, but its timeline has "
                    f"{len(listed)} clip(s), so transitions can follow clips 0 to {len(listed) - 2}.",
                    node_id=node_id,
                    fix="Move or delete the transition.",
                )
            )
    return out
