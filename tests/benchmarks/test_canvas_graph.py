"""The canvas benchmark's graph: the size asked for, and nothing the studio's validation objects to."""

from __future__ import annotations

from collections import Counter

import pytest

from benchmarks.canvas_graph import project_graph
from server.config import SHIPPED_PIPELINES_DIR
from server.graph.catalogue import load_catalogue
from server.graph.validation import validate_graph


def test_a_thousand_nodes_and_fifteen_hundred_edges_validate_cleanly() -> None:
    catalogue = load_catalogue([SHIPPED_PIPELINES_DIR])
    node_types = [t.model_dump(mode="json", exclude_none=True) for t in catalogue.node_types()]
    graph = project_graph(1000, 1500, node_types, ["cpu-storyboard"])

    assert len(graph["nodes"]) == 1000 and len(graph["edges"]) == 1500
    assert validate_graph(graph, catalogue).issues == []
    kinds = Counter(n["type"] for n in graph["nodes"])
    assert kinds.most_common(1) == [("ShotNode", 650)] and len(kinds) == 9
    # No input that takes one link gets two.
    single = Counter((e["target"], e["targetHandle"]) for e in graph["edges"] if e["targetHandle"] != "clips")
    assert max(single.values()) == 1 and len({e["id"] for e in graph["edges"]}) == 1500


def test_an_edge_budget_the_nodes_cannot_hold_is_refused() -> None:
    node_types = [t.model_dump(mode="json", exclude_none=True) for t in load_catalogue([]).node_types()]
    with pytest.raises(ValueError, match="20 nodes hold at most 80 valid edges, not 100"):
        project_graph(20, 100, node_types, [])
