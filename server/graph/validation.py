"""Validating a canvas graph against the node catalogue: every problem as a structured issue.

Whatever the document, validation returns issues and never raises: a saved graph is only checked
against schemas/canvas-graph.schema.json, so anything else may be wrong with it.

A `GraphChecker` validates successive versions of one graph and re-checks only what changed: each node's own
checks are kept under its content (its compact JSON; the catalogue is fixed per checker), each edge's under its
content and the types of the nodes it connects, each node's required inputs under its content and which of its
inputs are connected, the loops under the list of links; the edges' issues, links and loops are taken whole from
the last check while neither the edges nor the nodes' ids and types changed. A change therefore reaches what
depends on it, and the result is the one a fresh check gives (tests/server/graph/test_incremental.py compares them
on random edits).

An edit of a large graph is found without serialising it item by item: the items are serialised a chunk at a time
and compared with the last check's chunks (see `ParsedItems`). When only some nodes' content changed (not their ids,
types or groups, nor any edge), the last check's results are updated for those nodes alone.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import orjson
from pydantic import ValidationError

from schemas.models.canvas_graph import CanvasEdge, CanvasGraph, CanvasNode
from schemas.models.graph_validation import GraphIssue, IssueCode, ValidationReport
from server.graph.catalogue import Catalogue, NodeSpec
from server.graph.issues import issue, report
from server.graph.parsed_items import ParsedItems
from server.graph.rules import (
    NodeCheck,
    check_connection_counts,
    check_edge,
    check_node,
    check_parents,
    cycle_issues,
    duplicate_edge,
    duplicate_node,
    required_input_issues,
    sequence_timeline_issues,
)
from server.graph.structure import GraphView, Link
from server.graph_limits import EDGES_CEILING, NODES_CEILING

MAX_SCHEMA_ISSUES = 5
# Results kept beyond twice a graph's own: a small graph's checker is not cleared every few edits.
KEPT_SLACK = 1000
# An edge end: the type of the node there, UNKNOWN_TYPE for a node of no known type, None for no node.
UNKNOWN_TYPE = "?"


@dataclass(frozen=True)
class CheckedGraph:
    """What validation learnt: the issues, and the part of the graph that holds together."""

    issues: list[GraphIssue]
    view: GraphView

    @property
    def report(self) -> ValidationReport:
        return report(self.issues)


def validate_graph(document: Any, catalogue: Catalogue) -> ValidationReport:
    return check_graph(document, catalogue).report


def check_graph(document: Any, catalogue: Catalogue) -> CheckedGraph:
    """Checks a raw document, or a CanvasGraph whose nodes are then upgraded to their type versions."""
    graph = document if isinstance(document, CanvasGraph) else _parse(document)
    if isinstance(graph, list):
        return CheckedGraph(graph, GraphView())
    # A checker of its own: every item is new to it, so each is checked once (keyed by its place).
    return GraphChecker(catalogue).check_items(list(enumerate(graph.nodes)), list(enumerate(graph.edges)))


def _parse(document: Any) -> CanvasGraph | list[GraphIssue]:
    try:
        return CanvasGraph.model_validate(document, strict=True)  # as strict as the JSON Schema: no "1" for 1
    except ValidationError as exc:
        return [
            issue(
                IssueCode.graph_schema,
                f"The graph breaks schemas/canvas-graph.schema.json at "
                f"{'/'.join(str(p) for p in error['loc']) or '(root)'}: {error['msg']}.",
                fix="Reload the project and redo the last change; the saved graph is malformed.",
            )
            for error in exc.errors()[:MAX_SCHEMA_ISSUES]
        ]


@dataclass(frozen=True)
class _EdgeCheck:
    issues: list[GraphIssue]
    link: Link | None


class _Memo(dict[Hashable, Any]):
    """Results by key. What a graph no longer holds stays until the memos outgrow the graph (see `_let_go`)."""


@dataclass(frozen=True)
class _EdgesChecked:
    """The result of checking a graph's edges, and what it rests on: the edges and the node types at their ends."""

    keys: list[Hashable]
    nodes: dict[str, CanvasNode]
    specs: dict[str, NodeSpec]
    issues: list[GraphIssue]
    loops: list[GraphIssue]
    links: list[Link]
    inbound: dict[str, dict[str, list[Link]]]


@dataclass(frozen=True)
class _NodesChecked:
    """The result of a check node by node, in the graph's order, and what it rests on: the nodes (with their keys)
    and the edges' result. A node's results: its own issues (its check's, or that its id is taken), its missing
    required inputs, its pipeline reference and its Sequence timeline (none for a node whose id is taken)."""

    nodes: Sequence[tuple[Hashable, CanvasNode]]
    unique: bool  # no two nodes share an id
    own: list[list[GraphIssue]]
    required: list[list[GraphIssue]]
    references: list[list[GraphIssue]]
    timelines: list[list[GraphIssue]]
    parents: list[GraphIssue]
    edges: _EdgesChecked
    view: GraphView

    def issues(self) -> list[GraphIssue]:
        """In the order a check reports them: each node's own, the groups', the edges', the required inputs, the
        loops, the pipeline references, the timelines."""
        return [
            *chain.from_iterable(self.own),
            *self.parents,
            *self.edges.issues,
            *chain.from_iterable(self.required),
            *self.edges.loops,
            *chain.from_iterable(self.references),
            *chain.from_iterable(self.timelines),
        ]


class GraphChecker:
    """Checks successive versions of one graph against one catalogue; one check at a time (thread-safe)."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._parsed_nodes = ParsedItems(CanvasNode)  # compact JSON of a node -> its model (upgraded by its check)
        self._parsed_edges = ParsedItems(CanvasEdge)  # compact JSON of an edge -> its model
        self._nodes = _Memo()  # node key -> NodeCheck
        self._edges = _Memo()  # (edge key, source end, target end) -> _EdgeCheck
        self._required = _Memo()  # (node key, connected inputs) -> issues
        self._cycles = _Memo()  # (source, target) of every link, in order -> issues
        self._last_edges: _EdgesChecked | None = None  # an unchanged graph's edges are not looked at one by one
        self._last: _NodesChecked | None = None  # an edit of some nodes' content re-checks those nodes only
        self._lock = threading.Lock()

    def check(self, document: Any) -> CheckedGraph:
        """The same result as `check_graph(document, catalogue)` for a document read from JSON."""
        with self._lock:
            items = self._parse_items(document)
            if items is None:  # not a valid graph: the whole-document parse names what is wrong
                return check_graph(document, self.catalogue)
            return self.check_items(*items)

    def _parse_items(
        self, document: Any
    ) -> tuple[list[tuple[bytes, CanvasNode]], list[tuple[bytes, CanvasEdge]]] | None:
        if not isinstance(document, dict):
            return None
        nodes, edges = document.get("nodes"), document.get("edges")
        if not isinstance(nodes, list) or not isinstance(edges, list):
            return None
        try:
            CanvasGraph.model_validate({**document, "nodes": [], "edges": []}, strict=True)
            if len(nodes) > NODES_CEILING or len(edges) > EDGES_CEILING:
                return None
            return self._parsed_nodes.parse(nodes), self._parsed_edges.parse(edges)
        except (ValidationError, orjson.JSONEncodeError):
            return None

    def check_items(
        self, nodes: Sequence[tuple[Hashable, CanvasNode]], edges: Sequence[tuple[Hashable, CanvasEdge]]
    ) -> CheckedGraph:
        """Checks the parsed items, each given with the key its results are kept under."""
        checked = self._check_edited(nodes, edges) or self._check_all(nodes, edges)
        self._last = checked
        self._let_go(len(nodes) + len(edges))
        return CheckedGraph(checked.issues(), checked.view)

    def _check_all(
        self, nodes: Sequence[tuple[Hashable, CanvasNode]], edges: Sequence[tuple[Hashable, CanvasEdge]]
    ) -> _NodesChecked:
        view = GraphView()
        own: list[list[GraphIssue]] = []
        checks: list[NodeCheck | None] = []  # None: a node whose id an earlier node has
        for key, node in nodes:
            # Looked up for every node, so a node's check is kept exactly as long as its parsed (upgraded) model.
            check = self._nodes.get(key)
            if node.id in view.nodes:
                own.append([duplicate_node(node)])
                checks.append(None)
                continue
            view.nodes[node.id] = node
            if check is None:
                check = self._nodes[key] = check_node(node, self.catalogue)
            if check.spec is not None:
                view.specs[node.id] = check.spec
            own.append(check.issues)
            checks.append(check)
        parents: list[GraphIssue] = []
        check_parents(view, parents)
        edges_checked = self._check_edges(edges, view)
        checked = _NodesChecked(nodes, len(view.nodes) == len(nodes), own, [], [], [], parents, edges_checked, view)
        for (key, node), check in zip(nodes, checks, strict=True):
            if check is None:
                checked.required.append([])
                checked.references.append([])
                checked.timelines.append([])
            else:
                checked.required.append(self._required_issues(key, node, check.spec, view))
                checked.references.append(check.reference_issues)
                checked.timelines.append(sequence_timeline_issues(node, view))
        return checked

    def _check_edited(
        self, nodes: Sequence[tuple[Hashable, CanvasNode]], edges: Sequence[tuple[Hashable, CanvasEdge]]
    ) -> _NodesChecked | None:
        """The last check updated for the nodes whose content changed, when that is all that changed: the edges and
        every node's id, type and group are what they were (None otherwise). What else a node's results rest on
        (the ids, types and groups of others, its connections) is then unchanged too, and so are the results of the
        groups and the edges."""
        last = self._last
        if last is None or not last.unique or len(nodes) != len(last.nodes) or last.edges is not self._last_edges:
            return None
        if last.edges.keys != [key for key, _ in edges]:
            return None
        # Pairs of an unchanged chunk are the very tuples of the last parse: compared by identity first. An equal key
        # means the same model (the memo and the last check are forgotten together).
        changed = [
            at
            for at, (now, was) in enumerate(zip(nodes, last.nodes, strict=True))
            if now is not was and now[0] != was[0]
        ]
        for at in changed:
            node, was = nodes[at][1], last.nodes[at][1]
            if node.id != was.id or node.type != was.type or node.parentId != was.parentId:
                return None
        view = GraphView(dict(last.view.nodes), dict(last.view.specs), last.edges.links, last.edges.inbound)
        checked = _NodesChecked(
            nodes,
            True,
            list(last.own),
            list(last.required),
            list(last.references),
            list(last.timelines),
            last.parents,
            last.edges,
            view,
        )
        for at in changed:
            key, node = nodes[at]
            check = self._nodes.get(key)
            if check is None:
                check = self._nodes[key] = check_node(node, self.catalogue)
            view.nodes[node.id] = node
            checked.own[at] = check.issues
            checked.required[at] = self._required_issues(key, node, check.spec, view)
            checked.references[at] = check.reference_issues
            checked.timelines[at] = sequence_timeline_issues(node, view)
        return checked

    def _required_issues(
        self, key: Hashable, node: CanvasNode, spec: NodeSpec | None, view: GraphView
    ) -> list[GraphIssue]:
        if spec is None:
            return []
        connected = frozenset(view.inbound.get(node.id, ()))
        required_key = (key, connected)
        found = self._required.get(required_key)
        if found is None:
            found = self._required[required_key] = required_input_issues(node.id, spec, node.data, connected)
        return found

    def _let_go(self, items: int) -> None:
        """Forgets everything once the memos hold more than twice what the graph needs (about 3 per item): the
        results of nodes and edges edited away. Forgotten together, so a node's check goes with its parsed model."""
        memos = (self._parsed_nodes, self._parsed_edges, self._nodes, self._edges, self._required, self._cycles)
        if sum(len(memo) for memo in memos) > 6 * items + KEPT_SLACK:
            for memo in memos:
                memo.clear()
            self._last = None

    def _check_edges(self, edges: Sequence[tuple[Hashable, CanvasEdge]], view: GraphView) -> _EdgesChecked:
        """Adds the edges that hold to `view`, whose nodes are in; the issues of the edges and the loops."""
        keys = [key for key, _ in edges]
        last = self._last_edges
        if (
            last is not None
            and last.keys == keys
            and last.specs == view.specs
            and last.nodes.keys() == view.nodes.keys()
        ):
            view.links, view.inbound = last.links, last.inbound
            return last
        issues: list[GraphIssue] = []
        seen: set[str] = set()
        for key, edge in edges:
            if edge.id in seen:
                issues.append(duplicate_edge(edge, view))
                continue
            seen.add(edge.id)
            edge_key = (key, self._end(edge.source, view), self._end(edge.target, view))
            found = self._edges.get(edge_key)
            if found is None:
                edge_issues: list[GraphIssue] = []
                found = self._edges[edge_key] = _EdgeCheck(edge_issues, check_edge(edge, view, edge_issues))
            issues.extend(found.issues)
            if found.link is not None:
                view.add_link(found.link)
        check_connection_counts(view, issues)
        links_key = tuple((link.source, link.target) for link in view.links)
        loops = self._cycles.get(links_key)
        if loops is None:
            loops = self._cycles[links_key] = cycle_issues(view.links)
        self._last_edges = _EdgesChecked(keys, view.nodes, view.specs, issues, loops, view.links, view.inbound)
        return self._last_edges

    @staticmethod
    def _end(node_id: str, view: GraphView) -> str | None:
        if node_id not in view.nodes:
            return None
        spec = view.specs.get(node_id)
        return spec.id if spec is not None else UNKNOWN_TYPE
