"""A checked view of a canvas graph: its nodes with their types and the edges that hold."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from schemas.models.canvas_graph import CanvasNode
from server.graph.catalogue import NodeSpec


class Link(NamedTuple):
    """One valid edge: source node's output feeds target node's input."""

    edge_id: str
    source: str
    source_handle: str
    target: str
    target_handle: str


@dataclass
class GraphView:
    nodes: dict[str, CanvasNode] = field(default_factory=dict)
    specs: dict[str, NodeSpec] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    # target node -> input name -> links into it, in edge order
    inbound: dict[str, dict[str, list[Link]]] = field(default_factory=dict)

    def add_link(self, link: Link) -> None:
        self.links.append(link)
        self.inbound.setdefault(link.target, {}).setdefault(link.target_handle, []).append(link)

    def inputs_of(self, node_id: str) -> dict[str, list[Link]]:
        return self.inbound.get(node_id, {})

    def upstream_closure(self, node_id: str) -> set[str]:
        """`node_id` and every node it depends on through links."""
        seen = {node_id}
        stack = [node_id]
        while stack:
            for links in self.inputs_of(stack.pop()).values():
                for link in links:
                    if link.source not in seen:
                        seen.add(link.source)
                        stack.append(link.source)
        return seen
