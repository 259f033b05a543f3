"""A compilation that reuses the drafts its checker's memo kept gives exactly the plan (or refusal) a cold one gives,
whatever changed in between: a node's data, an edge (rewired to another input of the same node), the takes that
exist, an asset's files, the quality, the pipelines that fit."""

import copy
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas.models.project_manifest import Quality
from server.config import SHIPPED_QUALITY_MAP
from server.graph.catalogue import Catalogue
from server.graph.compiler import CompileContext, compile_node
from server.graph.plan import InputSource
from server.graph.quality import load_quality_map
from server.graph.validation import GraphChecker
from tests.server.graph import test_compiler
from tests.support.graphs import Json, MemoryTakeStore, edge, graph, node

catalogue = test_compiler.catalogue  # the compiler tests' pipelines, as a fixture of this module too
HERO = test_compiler.HERO
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
STYLE = "01_Assets/Generative_Assets/Styles/ink"
FILES = {f"{HERO}/front.png": b"front", f"{STYLE}/ink.png": b"ink"}
# Every edge the graph may have: the assets into either input of either shot, a shot into a post node, a chain.
CANDIDATE_EDGES = [
    (source, handle, target, target_handle)
    for source, handle in (("hero", "asset"), ("ink", "asset"))
    for target in ("s1", "s2")
    for target_handle in ("character", "style")
] + [
    ("pipe", "pipeline", "s1", "pipeline"),
    ("pipe", "pipeline", "s2", "pipeline"),
    ("s1", "video", "r1", "video"),
    ("s2", "video", "r1", "video"),
    ("s1", "video", "r2", "video"),
    ("r1", "video", "r2", "video"),
]
TARGETS = st.sampled_from(["s1", "s2", "r1", "r2"])


def shot_data() -> st.SearchStrategy[Json]:
    return st.fixed_dictionaries(
        {
            "shot_id": st.just("SHOT-010"),
            "prompt": st.sampled_from(["a lighthouse", "a harbour"]),
            "seed": st.integers(0, 2),
            "task_type": st.sampled_from(["generate-image", "generate-video"]),
        }
    )


def post_node(node_id: str) -> st.SearchStrategy[Json]:
    return st.one_of(
        st.builds(lambda s: node(node_id, "VideoRestorationNode", {"strength": s}), st.sampled_from([0.2, 0.4])),
        st.builds(lambda s: node(node_id, "SuperResolutionNode", {"scale": s}), st.sampled_from([2, 4])),
    )


@st.composite
def documents(draw: st.DrawFn) -> Json:
    nodes = [
        node("hero", "AssetNode", {"path": HERO}),
        node("ink", "AssetNode", {"path": STYLE}),
        node("pipe", "PipelineNode", {"pipeline_id": draw(st.sampled_from(["t2v-wan2.1-1.3b", "t2i-sd1.5"]))}),
        node("s1", "ShotNode", draw(shot_data())),
        node("s2", "ShotNode", draw(shot_data())),
        draw(post_node("r1")),
        draw(post_node("r2")),
    ]
    chosen = draw(st.lists(st.sampled_from(CANDIDATE_EDGES), unique=True, max_size=7))
    return graph(nodes, [edge(f"e{i}", *candidate) for i, candidate in enumerate(chosen)])


class World:
    """What a compilation reads besides the graph: the project's files and takes, the quality, what fits."""

    def __init__(self) -> None:
        self.takes = MemoryTakeStore(files=dict(FILES))
        self.quality = Quality.standard
        self.unfit: frozenset[str] = frozenset()

    def context(self, catalogue: Catalogue) -> CompileContext:
        unfit = self.unfit
        return CompileContext(
            catalogue,
            self.quality,
            load_quality_map(SHIPPED_QUALITY_MAP),
            self.takes,
            fits=lambda manifest: manifest.id not in unfit,
        )


def outcome(document: Json, target: str, context: CompileContext) -> Any:
    try:
        return compile_node(copy.deepcopy(document), target, context)
    except Exception as exc:  # the refusal itself is compared: the same error with the same message
        return type(exc), str(exc)


def change(draw: Callable[[st.SearchStrategy[Any]], Any], document: Json, world: World, last: Any) -> Json:
    """One random change of the graph or of the world around it."""
    changed = copy.deepcopy(document)
    kind = draw(
        st.sampled_from(
            ["shot", "post", "edge", "rewire", "pipeline", "take", "untake", "newest", "file", "quality", "fits"]
        )
    )
    if kind == "shot":
        changed["nodes"][draw(st.sampled_from([3, 4]))]["data"] = draw(shot_data())
    elif kind == "post":
        at = draw(st.sampled_from([5, 6]))
        changed["nodes"][at] = draw(post_node(changed["nodes"][at]["id"]))
    elif kind == "edge":
        candidate = draw(st.sampled_from(CANDIDATE_EDGES))
        kept = [
            e for e in changed["edges"] if (e["source"], e["sourceHandle"], e["target"], e["targetHandle"]) != candidate
        ]
        changed["edges"] = kept if len(kept) < len(changed["edges"]) else [*kept, edge(f"n{len(kept)}", *candidate)]
    elif kind == "rewire" and changed["edges"]:
        picked = changed["edges"][draw(st.integers(0, len(changed["edges"]) - 1))]
        if picked["targetHandle"] in ("character", "style"):
            picked["targetHandle"] = "style" if picked["targetHandle"] == "character" else "character"
    elif kind == "pipeline":
        changed["nodes"][2]["data"]["pipeline_id"] = draw(st.sampled_from(["t2v-wan2.1-1.3b", "t2i-sd1.5", "i2v-ltx"]))
    elif kind == "take" and not isinstance(last, tuple):  # a render of a step of the last plan finished
        keyed = [s.cache_key for s in last.steps if s.cache_key]
        if keyed:
            world.takes.takes[draw(st.sampled_from(keyed))] = f"03_Renders/take-{draw(st.integers(0, 3))}.png"
    elif kind == "untake" and world.takes.takes:  # a take was deleted
        del world.takes.takes[draw(st.sampled_from(sorted(world.takes.takes)))]
    elif kind == "newest":  # a take of a step without a cache key, shown on its node
        path = f"03_Renders/newest-{draw(st.integers(0, 2))}.mp4"
        world.takes.files[path] = path.encode()
        world.takes.newest[draw(TARGETS)] = path
    elif kind == "file":
        world.takes.files[f"{HERO}/front.png"] = draw(st.sampled_from([b"front", b"front, redrawn"]))
    elif kind == "quality":
        world.quality = draw(st.sampled_from(list(Quality)))
    elif kind == "fits":
        world.unfit = frozenset(draw(st.sets(st.sampled_from(["t2i-flux-schnell", "t2i-sd1.5"]))))
    return changed


@SETTINGS
@given(data=st.data())
def test_plans_from_the_memo_equal_cold_plans_after_every_change(data: st.DataObject, catalogue: Catalogue) -> None:
    checker = GraphChecker(catalogue)
    world = World()
    document = data.draw(documents())
    for _ in range(data.draw(st.integers(1, 10))):
        target = data.draw(TARGETS)
        cold = outcome(document, target, world.context(catalogue))
        assert outcome(document, target, replace(world.context(catalogue), checker=checker)) == cold
        document = change(data.draw, document, world, cold)


def test_an_edge_moved_to_another_input_of_the_same_node_is_recompiled(catalogue: Catalogue) -> None:
    """Neither node changed, nor what flows along the edge: only the input it arrives at."""
    takes = MemoryTakeStore(files=dict(FILES))
    context = CompileContext(catalogue, Quality.standard, load_quality_map(SHIPPED_QUALITY_MAP), takes)
    reusing = replace(context, checker=GraphChecker(catalogue))
    shot = node("s1", "ShotNode", {"shot_id": "SHOT-010", "prompt": "a lighthouse"})
    for handle in ("character", "style"):
        document = graph([node("hero", "AssetNode", {"path": HERO}), shot], [edge("e", "hero", "asset", "s1", handle)])
        [step] = compile_node(document, "s1", reusing).steps
        assert [(i.name, i.source) for i in step.inputs if i.node_id == "hero"] == [(handle, InputSource.ASSET)]
        assert step == compile_node(document, "s1", context).steps[0]


def test_a_take_that_appears_is_used_by_the_next_compilation(catalogue: Catalogue) -> None:
    takes = MemoryTakeStore()
    context = CompileContext(
        catalogue, Quality.standard, load_quality_map(SHIPPED_QUALITY_MAP), takes, checker=GraphChecker(catalogue)
    )
    document = graph(
        [node("s1", "ShotNode", {"shot_id": "SHOT-010", "prompt": "p"}), node("r", "SuperResolutionNode", {})],
        [edge("e", "s1", "image", "r", "image")],
    )
    first = compile_node(document, "r", context)
    assert first.step_ids == ["s1", "r"]
    key = first.steps[0].cache_key
    assert key is not None
    takes.takes[key] = "03_Renders/s1.png"
    again = compile_node(document, "r", context)
    assert again.step_ids == ["r"] and [s.take for s in again.reused] == ["03_Renders/s1.png"]
    [image] = [i for i in again.steps[0].inputs if i.name == "image"]
    assert (image.source, image.value) == (InputSource.TAKE, "03_Renders/s1.png")


def test_a_file_a_widget_names_is_read_again_when_nothing_else_changed(catalogue: Catalogue) -> None:
    """The graph and its shape stay the same, so every kept draft is reused, except one whose widget names a file."""
    takes = MemoryTakeStore(files=dict(FILES))
    context = CompileContext(catalogue, Quality.standard, load_quality_map(SHIPPED_QUALITY_MAP), takes)
    reusing = replace(context, checker=GraphChecker(catalogue))
    document = graph([node("r", "SuperResolutionNode", {"image": f"{STYLE}/ink.png"})], [])
    [first] = compile_node(document, "r", reusing).steps
    assert [(i.name, i.source) for i in first.inputs if i.name == "image"] == [("image", InputSource.WIDGET)]
    takes.files[f"{STYLE}/ink.png"] = b"ink, redrawn"
    [again] = compile_node(document, "r", reusing).steps
    assert again.cache_key != first.cache_key
    assert again == compile_node(document, "r", context).steps[0]


def test_a_reused_step_names_the_take_its_cache_key_has_now(catalogue: Catalogue) -> None:
    """The graph is unchanged and the step is still reused, but its cache key's take is now another file (the first
    was deleted, another render of the same key remains): the plan reuses that one."""
    takes = MemoryTakeStore()
    context = CompileContext(catalogue, Quality.standard, load_quality_map(SHIPPED_QUALITY_MAP), takes)
    reusing = replace(context, checker=GraphChecker(catalogue))
    document = graph(
        [node("s1", "ShotNode", {"shot_id": "SHOT-010", "prompt": "p"}), node("r", "SuperResolutionNode", {})],
        [edge("e", "s1", "image", "r", "image")],
    )
    key = compile_node(document, "r", reusing).steps[0].cache_key
    assert key is not None
    for take in ("03_Renders/s1-a.png", "03_Renders/s1-b.png"):
        takes.takes[key] = take
        plan = compile_node(document, "r", reusing)
        assert [(s.node_id, s.take) for s in plan.reused] == [("s1", take)]
        assert plan == compile_node(document, "r", context)
