"""Properties over random graphs: validation never raises, plans are exactly the needed steps in
topological order, cache keys change exactly when something they depend on changes."""

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models.graph_validation import Severity, ValidationReport
from schemas.models.project_manifest import Quality
from server.config import SHIPPED_QUALITY_MAP
from server.graph.catalogue import Catalogue, builtin_specs, load_catalogue
from server.graph.compiler import CompileContext, compile_node
from server.graph.plan import ExecutionPlan
from server.graph.quality import load_quality_map
from server.graph.validation import validate_graph
from tests.support.graphs import Json, MemoryTakeStore, edge, graph, node, write_mixing_pipelines

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    pipelines: Path = tmp_path_factory.mktemp("pipelines")
    write_mixing_pipelines(pipelines)
    return load_catalogue([pipelines])


# -- validation never raises -------------------------------------------------------------------------

IDS = st.sampled_from(["a", "b", "c", "d", "e", "f"])
HANDLES = st.one_of(st.none(), st.sampled_from(["video", "image", "clips", "prompt", "pipeline", "edl", "x"]))
TYPES = st.sampled_from([*builtin_specs(), "pipeline:mix-det", "pipeline:src-rand", "UnknownNode", "pipeline:x"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
DATA_KEYS = st.sampled_from(
    [
        "shot_id",
        "prompt",
        "path",
        "pipeline_id",
        "type_version",
        "active_take",
        "seed",
        "text",
        "timeline",
        "value",
    ]
)


@st.composite
def random_graphs(draw: st.DrawFn) -> Json:
    nodes = []
    for _ in range(draw(st.integers(0, 7))):
        built = node(draw(IDS), draw(TYPES), draw(st.dictionaries(DATA_KEYS, JSON_VALUES, max_size=4)))
        if draw(st.booleans()):
            built["parentId"] = draw(IDS)
        nodes.append(built)
    edges = [
        edge(draw(IDS), draw(IDS), draw(HANDLES), draw(IDS), draw(HANDLES)) for _ in range(draw(st.integers(0, 9)))
    ]
    return graph(nodes, edges)


@SETTINGS
@given(document=st.one_of(random_graphs(), JSON_VALUES))
def test_validation_never_raises_and_valid_means_no_errors(document: Any, catalogue: Catalogue) -> None:
    report = validate_graph(document, catalogue)
    assert isinstance(report, ValidationReport)
    assert report.valid is not any(i.severity is Severity.error for i in report.issues)
    assert all(i.message for i in report.issues)


# -- plans ---------------------------------------------------------------------------------------


@st.composite
def random_dags(draw: st.DrawFn) -> Json:
    """Sources first, then mixers that each take at least one earlier node."""
    count = draw(st.integers(2, 9))
    sources = draw(st.integers(1, count - 1))
    nodes, edges = [], []
    for i in range(count):
        kind = "src" if i < sources else "mix"
        flavour = draw(st.sampled_from(["det", "rand"]))
        nodes.append(node(f"n{i}", f"pipeline:{kind}-{flavour}", {"value": draw(st.integers(0, 3))}))
        if kind == "mix":
            for j in sorted(draw(st.sets(st.integers(0, i - 1), min_size=1, max_size=3))):
                edges.append(edge(f"e{j}-{i}", f"n{j}", "video", f"n{i}", "clips"))
    return graph(nodes, edges)


def compile_plan(document: Json, target: str, catalogue: Catalogue, takes: MemoryTakeStore) -> ExecutionPlan:
    context = CompileContext(catalogue, Quality.standard, load_quality_map(SHIPPED_QUALITY_MAP), takes)
    return compile_node(document, target, context)


def sources_of(document: Json) -> dict[str, list[str]]:
    inputs: dict[str, list[str]] = {n["id"]: [] for n in document["nodes"]}
    for e in document["edges"]:
        inputs[e["target"]].append(e["source"])
    return inputs


@SETTINGS
@given(document=random_dags(), data=st.data())
def test_a_plan_is_exactly_the_needed_steps_in_topological_order(
    document: Json, data: st.DataObject, catalogue: Catalogue
) -> None:
    ids = [n["id"] for n in document["nodes"]]
    target = data.draw(st.sampled_from(ids))
    takes = MemoryTakeStore()
    for n in document["nodes"]:
        if data.draw(st.booleans()):
            path = f"03_Renders/{n['id']}.mp4"
            n["data"]["active_take"] = path
            takes.files[path] = n["id"].encode()
    first = compile_plan(document, target, catalogue, takes)
    keys = {s.node_id: s.cache_key for s in [*first.steps, *first.reused]}
    cached = {k for k in keys.values() if k is not None and data.draw(st.booleans())}
    takes.takes = {k: f"03_Renders/cached-{k[:8]}.mp4" for k in cached}

    plan = compile_plan(document, target, catalogue, takes)

    inputs = sources_of(document)
    active = {n["id"] for n in document["nodes"] if "active_take" in n["data"]}

    def reusable(node_id: str) -> bool:
        key = keys[node_id]
        return key in cached if key is not None else node_id in active

    needed, stack = {target}, [target]
    while stack:
        for source in inputs[stack.pop()]:
            if source not in needed and not reusable(source):
                needed.add(source)
                stack.append(source)
    assert set(plan.step_ids) == needed
    assert len(plan.step_ids) == len(needed)
    assert plan.step_ids[-1] == target
    position = {node_id: i for i, node_id in enumerate(plan.step_ids)}
    for consumer in plan.step_ids:
        for source in inputs[consumer]:
            if source in position:
                assert position[source] < position[consumer]
    assert not set(s.node_id for s in plan.reused) & needed


# -- cache keys ----------------------------------------------------------------------------------


def deterministic(document: Json) -> Json:
    for n in document["nodes"]:
        n["type"] = n["type"].replace("-rand", "-det")
    return document


def ancestors_or_self(document: Json, node_id: str) -> set[str]:
    inputs, seen, stack = sources_of(document), {node_id}, [node_id]
    while stack:
        for source in inputs[stack.pop()]:
            if source not in seen:
                seen.add(source)
                stack.append(source)
    return seen


@SETTINGS
@given(document=random_dags().map(deterministic), data=st.data())
def test_a_cache_key_changes_exactly_when_something_it_depends_on_changes(
    document: Json, data: st.DataObject, catalogue: Catalogue
) -> None:
    target = document["nodes"][-1]["id"]

    def keys() -> dict[str, str | None]:
        return {s.node_id: s.cache_key for s in compile_plan(document, target, catalogue, MemoryTakeStore()).steps}

    before = keys()
    assert None not in before.values()
    document["nodes"][data.draw(st.integers(0, len(document["nodes"]) - 1))]["position"] = {"x": 9, "y": 9}
    assert keys() == before

    changed = data.draw(st.sampled_from([n for n in document["nodes"] if n["id"] in before]))
    changed["data"]["value"] += 1
    after = keys()
    for node_id, key in before.items():
        depends = changed["id"] in ancestors_or_self(document, node_id)
        assert (after[node_id] != key) is depends, (node_id, changed["id"])
