"""A GraphChecker that re-checks only what changed gives exactly what a fresh check gives, edit after edit:
the same issues in the same order, the same view of the graph, the same plans (or the same refusals)."""

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models.project_manifest import Quality
from server.config import SHIPPED_QUALITY_MAP
from server.graph import parsed_items
from server.graph.catalogue import Catalogue, builtin_specs, load_catalogue
from server.graph.compiler import CompileContext, compile_node
from server.graph.live_checks import GraphCheckers
from server.graph.quality import load_quality_map
from server.graph.validation import CheckedGraph, GraphChecker, check_graph
from tests.support.graphs import Json, MemoryTakeStore, edge, graph, node, write_mixing_pipelines

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    pipelines: Path = tmp_path_factory.mktemp("pipelines")
    write_mixing_pipelines(pipelines)
    return load_catalogue([pipelines])


IDS = st.sampled_from(["a", "b", "c", "d", "e", "f", "g"])
# Weighted towards the pipeline nodes and handles that connect (src "video" -> mix "clips"), so that links, loops
# and required inputs come and go; the rest brings unknown types, wrong handles and the built-ins.
HANDLES = st.sampled_from([None, "video", "clips"]) | st.sampled_from(["image", "prompt", "pipeline", "edl", "x"])
TYPES = st.sampled_from(["pipeline:mix-det", "pipeline:src-det", "pipeline:mix-rand"]) | st.sampled_from(
    [*builtin_specs(), "pipeline:src-rand", "UnknownNode", "pipeline:x"]
)
# What a live graph holds: JSON values (no NaN or infinity, which JSON cannot carry).
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)
DATA = st.dictionaries(
    st.sampled_from(
        ["shot_id", "prompt", "path", "pipeline_id", "type_version", "seed", "text", "timeline", "value", "scale"]
    ),
    JSON_VALUES,
    max_size=3,
)


@st.composite
def nodes(draw: st.DrawFn) -> Json:
    built = node(draw(IDS), draw(TYPES), draw(DATA))
    if draw(st.booleans()):
        built["parentId"] = draw(IDS)
    return built


@st.composite
def edges(draw: st.DrawFn) -> Json:
    return edge(f"e{draw(st.integers(0, 6))}", draw(IDS), draw(HANDLES), draw(IDS), draw(HANDLES))


@st.composite
def edited(draw: st.DrawFn, document: Json) -> Json:
    """`document` after one random edit, as a live edit or a PUT would leave it."""
    changed = copy.deepcopy(document)
    kinds = ["add node", "add edge", "replace"]
    if changed["nodes"]:
        kinds += ["remove node", "move node", "change data", "change type", "change parent", "duplicate node"]
    if changed["edges"]:
        kinds += ["remove edge", "rewire edge"]
    kind = draw(st.sampled_from(kinds))
    node_at = draw(st.integers(0, max(len(changed["nodes"]) - 1, 0)))
    edge_at = draw(st.integers(0, max(len(changed["edges"]) - 1, 0)))
    if kind == "add node":
        changed["nodes"].append(draw(nodes()))
    elif kind == "add edge":
        changed["edges"].append(draw(edges()))
    elif kind == "replace":
        changed = graph(draw(st.lists(nodes(), max_size=7)), draw(st.lists(edges(), max_size=9)))
    elif kind == "remove node":
        del changed["nodes"][node_at]
    elif kind == "move node":
        changed["nodes"][node_at]["position"] = {"x": draw(st.floats(-50, 50)), "y": 1.0}
    elif kind == "change data":
        changed["nodes"][node_at]["data"] = draw(DATA)
    elif kind == "change type":
        changed["nodes"][node_at]["type"] = draw(TYPES)
    elif kind == "change parent":
        changed["nodes"][node_at]["parentId"] = draw(IDS)
    elif kind == "duplicate node":
        changed["nodes"].insert(0, {**copy.deepcopy(changed["nodes"][node_at]), "data": draw(DATA)})
    elif kind == "remove edge":
        del changed["edges"][edge_at]
    else:
        changed["edges"][edge_at] = {**changed["edges"][edge_at], "source": draw(IDS), "targetHandle": draw(HANDLES)}
    return changed


def same_check(incremental: CheckedGraph, full: CheckedGraph) -> None:
    assert incremental.issues == full.issues
    assert incremental.view.nodes == full.view.nodes
    assert {k: s.id for k, s in incremental.view.specs.items()} == {k: s.id for k, s in full.view.specs.items()}
    assert incremental.view.links == full.view.links
    assert incremental.view.inbound == full.view.inbound


def outcome(document: Json, target: str, context: CompileContext) -> Any:
    try:
        return compile_node(document, target, context)
    except Exception as exc:  # the refusal itself is compared: the same error with the same message
        return type(exc), str(exc)


# The checker serialises a graph's items a chunk at a time to find the ones that changed: with 3 a chunk a graph of
# this test has several, with the default one.
@pytest.mark.parametrize("chunk_items", [3, parsed_items.CHUNK_ITEMS])
@SETTINGS
@given(data=st.data())
def test_incremental_checks_and_plans_equal_fresh_ones_after_every_edit(
    data: st.DataObject, catalogue: Catalogue, chunk_items: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsed_items, "CHUNK_ITEMS", chunk_items)
    checker = GraphChecker(catalogue)
    takes = MemoryTakeStore()
    quality_map = load_quality_map(SHIPPED_QUALITY_MAP)
    fresh = CompileContext(catalogue, Quality.standard, quality_map, takes)
    reusing = CompileContext(catalogue, Quality.standard, quality_map, takes, checker=checker)
    document = graph(data.draw(st.lists(nodes(), max_size=7)), data.draw(st.lists(edges(), max_size=9)))
    for _ in range(data.draw(st.integers(1, 8))):
        before = copy.deepcopy(document)
        same_check(checker.check(document), check_graph(document, catalogue))
        assert document == before  # checking never changes the caller's document
        target = data.draw(IDS)
        assert outcome(document, target, reusing) == outcome(document, target, fresh)
        document = data.draw(edited(document))


def test_a_version_upgrade_is_reported_on_every_check_not_only_the_first(catalogue: Catalogue) -> None:
    """The checker keeps a node's upgraded model: the upgrade notice must still come from the node's content,
    also after the node was for a while a duplicate (parsed, not checked)."""
    shot = node("s", "ShotNode", {"shot_id": "SHOT-010", "prompt": "p", "type_version": "1.0.0-beta"})
    other = node("s", "ShotNode", {"shot_id": "SHOT-020", "prompt": "q"})
    checker = GraphChecker(catalogue)
    expected = [(i.code, i.node_id) for i in check_graph(graph([shot]), catalogue).issues]
    assert expected  # the notice that 1.0.0-beta is upgraded
    for document in (graph([shot]), graph([other, shot]), graph([shot])):
        checked = checker.check(copy.deepcopy(document))
        assert [(i.code, i.node_id) for i in checked.issues] == [
            (i.code, i.node_id) for i in check_graph(document, catalogue).issues
        ]
    assert [(i.code, i.node_id) for i in checked.issues] == expected
    assert shot["data"]["type_version"] == "1.0.0-beta"  # the caller's document is not upgraded


def test_an_input_whose_edge_is_removed_is_missing_again(catalogue: Catalogue) -> None:
    """The node did not change, what connects to it did: its required inputs are checked again."""
    nodes = [node("src", "pipeline:src-det", {"value": 1}), node("mix", "pipeline:mix-det", {"value": 1})]
    connected = graph(nodes, [edge("e", "src", "video", "mix", "clips")])
    checker = GraphChecker(catalogue)
    assert checker.check(connected).issues == []
    issues = checker.check(graph(copy.deepcopy(nodes))).issues
    assert [(i.code.value, i.node_id) for i in issues] == [("missing_required_input", "mix")]


def test_a_changed_catalogue_gets_a_new_checker_and_the_same_one_is_kept(catalogue: Catalogue, tmp_path: Path) -> None:
    checkers = GraphCheckers(capacity=2)
    first = checkers.for_project("p1", catalogue)
    assert checkers.for_project("p1", catalogue) is first
    other = load_catalogue([tmp_path])
    replaced = checkers.for_project("p1", other)
    assert replaced is not first and replaced.catalogue is other
    checkers.for_project("p2", catalogue)
    checkers.for_project("p3", catalogue)  # beyond capacity: the least recently used (p1) is let go
    assert checkers.for_project("p1", other) is not replaced


def test_an_edit_of_one_node_s_data_re_checks_its_required_inputs_and_timeline(catalogue: Catalogue) -> None:
    """Only node data changes, in place as a live edit leaves it: the checker updates the last check for the edited
    node alone, and what rests on that node's data (its empty required inputs, a Sequence's timeline) is checked
    again. Many nodes, so the graph spans several chunks."""
    voices = [node(f"voice-{i}", "AudioNode", {"text": f"line {i}"}) for i in range(3 * parsed_items.CHUNK_ITEMS)]
    sequence = node("seq", "SequenceNode", {"fps": 24, "timeline": [{"node_id": "clip"}]})
    document = graph(
        [*voices, sequence, node("clip", "pipeline:src-det")], [edge("e", "clip", "video", "seq", "clips")]
    )
    voice, timeline = document["nodes"][40]["data"], document["nodes"][-2]["data"]["timeline"]
    edits: list[tuple[Callable[[], object], list[tuple[str, str | None]]]] = [
        (lambda: None, []),
        (lambda: voice.pop("text"), [("missing_required_input", "voice-40")]),
        (
            lambda: timeline.append({"node_id": "voice-3"}),
            [("missing_required_input", "voice-40"), ("sequence_timeline", "seq")],
        ),
        (lambda: voice.update(text="again"), [("sequence_timeline", "seq")]),
        (lambda: timeline.pop(), []),
    ]
    checker = GraphChecker(catalogue)
    for edit, expected in edits:
        edit()
        issues = checker.check(document).issues
        assert issues == check_graph(document, catalogue).issues
        assert [(i.code.value, i.node_id) for i in issues] == expected
