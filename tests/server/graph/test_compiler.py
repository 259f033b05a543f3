import re
from pathlib import Path
from typing import Any

import pytest

from schemas.models.graph_validation import IssueCode
from schemas.models.project_manifest import Quality
from server.config import SHIPPED_QUALITY_MAP
from server.graph.catalogue import Catalogue, load_catalogue
from server.graph.compiler import CompileContext, compile_node, ensure_runnable
from server.graph.errors import (
    InvalidGraphError,
    NodeNotInGraphError,
    NothingToRunError,
    UnresolvedInputError,
)
from server.graph.plan import ExecutionPlan, InputSource, StepStatus
from server.graph.quality import load_quality_map
from server.graph.validation import validate_graph
from tests.support.graphs import (
    Json,
    MemoryTakeStore,
    edge,
    graph,
    manifest,
    node,
    port,
    sha256,
    write_manifest,
)

HERO = "01_Assets/Generative_Assets/Characters/hero"


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    pipelines: Path = tmp_path_factory.mktemp("pipelines")
    for pipeline_id in ("t2i-sd1.5", "t2i-flux-schnell", "cpu-storyboard"):
        write_manifest(pipelines, manifest(pipeline_id))
    write_manifest(
        pipelines,
        manifest(
            "t2v-wan2.1-1.3b",
            task_type="generate-video",
            outputs=[port("video", "Video")],
            deterministic=False,
        ),
    )
    write_manifest(
        pipelines,
        manifest(
            "i2v-ltx",
            task_type="image-to-video",
            inputs=[port("prompt", "String"), port("image", "Image", required=True)],
            outputs=[port("video", "Video")],
        ),
    )
    write_manifest(
        pipelines,
        manifest(
            "cpu-control-canny",
            task_type="control-extract",
            category="Control",
            inputs=[port("source_video", "Video", required=True)],
            outputs=[port("motion", "ControlMap")],
        ),
    )
    write_manifest(
        pipelines,
        manifest(
            "sr-spandrel",
            task_type="super-resolution",
            category="Post-Production",
            inputs=[port("image", "Image"), port("video", "Video")],
            outputs=[port("image", "Image"), port("video", "Video")],
            params={"type": "object", "properties": {"scale": {"type": "number"}}},
        ),
    )
    write_manifest(
        pipelines,
        manifest(
            "restore-spandrel",
            task_type="video-restoration",
            category="Post-Production",
            inputs=[port("video", "Video", required=True)],
            outputs=[port("video", "Video")],
        ),
    )
    return load_catalogue([pipelines])


def plan_for(
    document: Json,
    target: str,
    catalogue: Catalogue,
    takes: MemoryTakeStore | None = None,
    quality: Quality = Quality.standard,
) -> ExecutionPlan:
    context = CompileContext(
        catalogue=catalogue,
        quality=quality,
        quality_map=load_quality_map(SHIPPED_QUALITY_MAP),
        takes=takes or MemoryTakeStore(),
    )
    return compile_node(document, target, context)


def shot(node_id: str = "shot", **data: Any) -> Json:
    return node(node_id, "ShotNode", {"shot_id": "SHOT-010", "prompt": "a lighthouse at dusk", **data})


def video_chain(**shot_data: Any) -> Json:
    """A video shot, restored: shot -> restore."""
    return graph(
        [shot(task_type="generate-video", **shot_data), node("restore", "VideoRestorationNode")],
        [edge("e1", "shot", "video", "restore", "video")],
    )


@pytest.mark.parametrize(("quality", "expected"), [(Quality.low, "t2i-sd1.5"), (Quality.standard, "t2i-flux-schnell")])
def test_an_unconnected_shot_runs_the_pipeline_its_quality_selects(
    quality: Quality, expected: str, catalogue: Catalogue
) -> None:
    plan = plan_for(graph([shot()]), "shot", catalogue, quality=quality)
    [step] = plan.steps
    assert step.pipeline is not None
    assert (step.pipeline.pipeline_id, step.pipeline.requested_quality) == (expected, quality.value)
    assert step.pipeline.chosen_by == f"quality map ({quality.value})"
    assert step.status is StepStatus.PLANNED and step.reason == "requested"


def test_a_missing_high_tier_falls_back_and_says_so(catalogue: Catalogue) -> None:
    [step] = plan_for(graph([shot()]), "shot", catalogue, quality=Quality.high).steps
    assert step.pipeline is not None and step.pipeline.pipeline_id == "t2i-flux-schnell"
    assert step.pipeline.fallback is not None and "t2i-flux-dev-fp16" in step.pipeline.fallback


def test_a_connected_pipeline_node_overrides_quality(catalogue: Catalogue) -> None:
    document = graph(
        [node("pipe", "PipelineNode", {"pipeline_id": "t2i-sd1.5"}), shot()],
        [edge("e1", "pipe", "pipeline", "shot", "pipeline")],
    )
    [step] = plan_for(document, "shot", catalogue, quality=Quality.high).steps
    assert step.pipeline is not None
    assert (step.pipeline.pipeline_id, step.pipeline.version, step.pipeline.chosen_by) == (
        "t2i-sd1.5",
        "1.0.0",
        "Pipeline node",
    )
    pipeline_input = next(i for i in step.inputs if i.name == "pipeline")
    assert (pipeline_input.source, pipeline_input.value) == (InputSource.PIPELINE, "t2i-sd1.5")


def test_asset_inputs_resolve_to_the_asset_files_and_their_hashes(catalogue: Catalogue) -> None:
    takes = MemoryTakeStore(files={f"{HERO}/front.png": b"front", f"{HERO}/side.png": b"side", "other.png": b"x"})
    document = graph(
        [node("hero", "AssetNode", {"path": HERO}), shot()],
        [edge("e1", "hero", "asset", "shot", "character")],
    )
    [step] = plan_for(document, "shot", catalogue, takes).steps
    character = next(i for i in step.inputs if i.name == "character")
    assert character.source is InputSource.ASSET
    assert character.value == [f"{HERO}/front.png", f"{HERO}/side.png"]

    takes.files[f"{HERO}/front.png"] = b"front, redrawn"
    [changed] = plan_for(document, "shot", catalogue, takes).steps
    assert next(i for i in changed.inputs if i.name == "character").content_hash != character.content_hash
    assert changed.cache_key != step.cache_key


def test_an_asset_without_files_cannot_be_resolved(catalogue: Catalogue) -> None:
    document = graph(
        [node("hero", "AssetNode", {"path": HERO}), shot()],
        [edge("e1", "hero", "asset", "shot", "character")],
    )
    with pytest.raises(UnresolvedInputError, match="no files"):
        plan_for(document, "shot", catalogue)


def test_a_chain_without_takes_plans_every_step_in_order(catalogue: Catalogue) -> None:
    plan = plan_for(video_chain(), "restore", catalogue)
    assert plan.step_ids == ["shot", "restore"]
    assert plan.reused == []
    restore_input = plan.steps[1].inputs[0]
    assert (restore_input.source, restore_input.value) == (InputSource.STEP, "shot")
    assert plan.steps[0].reason == "it has no usable take"


def test_a_non_deterministic_upstream_reuses_its_active_take(catalogue: Catalogue) -> None:
    take = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take02.mp4"
    takes = MemoryTakeStore(files={take: b"video bytes"})
    plan = plan_for(video_chain(active_take=take), "restore", catalogue, takes)
    assert plan.step_ids == ["restore"]
    assert [(s.node_id, s.take, s.reason) for s in plan.reused] == [("shot", take, "its active take is used")]
    restore_input = plan.steps[0].inputs[0]
    assert (restore_input.source, restore_input.value, restore_input.content_hash) == (
        InputSource.TAKE,
        take,
        sha256(b"video bytes"),
    )


def test_an_upstream_with_no_chosen_take_contributes_its_newest(catalogue: Catalogue) -> None:
    newest = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take03.mp4"
    takes = MemoryTakeStore(files={newest: b"newest"}, newest={"shot": newest})
    plan = plan_for(video_chain(), "restore", catalogue, takes)
    assert plan.step_ids == ["restore"]
    assert (plan.steps[0].inputs[0].source, plan.steps[0].inputs[0].value) == (InputSource.TAKE, newest)


def test_an_active_take_whose_file_is_gone_is_planned_again(catalogue: Catalogue) -> None:
    plan = plan_for(video_chain(active_take="03_Renders/gone.mp4"), "restore", catalogue)
    assert plan.step_ids == ["shot", "restore"]


def deterministic_chain() -> Json:
    """A deterministic image shot upscaled: shot (t2i) -> sr."""
    return graph(
        [shot(seed=7), node("sr", "SuperResolutionNode", {"scale": 2})],
        [edge("e1", "shot", "image", "sr", "image")],
    )


def test_an_up_to_date_deterministic_upstream_is_reused_and_a_stale_one_planned(catalogue: Catalogue) -> None:
    first = plan_for(deterministic_chain(), "sr", catalogue)
    shot_key = first.steps[0].cache_key
    assert shot_key is not None and first.step_ids == ["shot", "sr"]

    take = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    takes = MemoryTakeStore(files={take: b"png"}, takes={shot_key: take})
    fresh = plan_for(deterministic_chain(), "sr", catalogue, takes)
    assert fresh.step_ids == ["sr"]
    assert [(s.node_id, s.take, s.cache_key) for s in fresh.reused] == [("shot", take, shot_key)]
    assert fresh.steps[0].inputs[0].source is InputSource.TAKE

    edited = deterministic_chain()
    edited["nodes"][0]["data"]["prompt"] = "a lighthouse at dawn"
    stale = plan_for(edited, "sr", catalogue, takes)
    assert stale.step_ids == ["shot", "sr"]
    assert stale.steps[0].reason == "no take exists for its cache key"
    assert stale.steps[0].cache_key != shot_key


def test_the_requested_node_always_makes_a_new_take(catalogue: Catalogue) -> None:
    key = plan_for(deterministic_chain(), "shot", catalogue).steps[0].cache_key
    assert key is not None
    takes = MemoryTakeStore(files={"t.png": b"png"}, takes={key: "t.png"})
    plan = plan_for(deterministic_chain(), "shot", catalogue, takes)
    assert plan.step_ids == ["shot"] and plan.steps[0].status is StepStatus.PLANNED


def test_the_upstream_of_a_reused_step_is_not_planned(catalogue: Catalogue) -> None:
    document = graph(
        [
            shot(task_type="generate-video"),
            node("r1", "VideoRestorationNode"),
            node("r2", "VideoRestorationNode"),
        ],
        [edge("e1", "shot", "video", "r1", "video"), edge("e2", "r1", "video", "r2", "video")],
    )
    # shot has no take (non-deterministic), so r1's key is unknown; give r1 an active take instead.
    document["nodes"][1]["data"]["active_take"] = "03_Renders/r1.mp4"
    plan = plan_for(document, "r2", catalogue, MemoryTakeStore(files={"03_Renders/r1.mp4": b"r1"}))
    assert plan.step_ids == ["r2"]
    assert [s.node_id for s in plan.reused] == ["r1"]


def test_cache_keys_ignore_names_and_layout_but_not_seed_or_params(catalogue: Catalogue) -> None:
    def key_of(document: Json) -> str | None:
        return plan_for(document, "shot", catalogue).steps[0].cache_key

    base = key_of(graph([shot(seed=1)]))
    renamed = graph([shot(seed=1, shot_id="SHOT-990", label="Renamed", version=3)])
    renamed["nodes"][0]["position"] = {"x": 500, "y": -20}
    assert key_of(renamed) == base
    assert key_of(graph([shot(seed=2)])) != base
    assert key_of(graph([shot(seed=1, negative_prompt="fog")])) != base
    assert key_of(graph([shot(seed=1)])) == base


def test_errors_upstream_of_the_target_block_compilation(catalogue: Catalogue) -> None:
    document = video_chain()
    document["edges"].append(edge("bad", "shot", "image", "restore", "video"))
    with pytest.raises(InvalidGraphError) as caught:
        plan_for(document, "restore", catalogue)
    assert [i.code for i in caught.value.issues] == [IssueCode.incompatible_sockets]
    assert caught.value.details["issues"][0]["edge_id"] == "bad"


def test_errors_elsewhere_in_the_graph_do_not_block(catalogue: Catalogue) -> None:
    document = video_chain()
    document["nodes"].append(node("broken", "VideoRestorationNode"))
    document["edges"].append(edge("dangling", "broken", "video", "ghost", "video"))
    assert plan_for(document, "restore", catalogue).step_ids == ["shot", "restore"]
    document["edges"].append(edge("into-the-chain", "ghost", "video", "restore", "video"))
    with pytest.raises(InvalidGraphError, match="Edge 'into-the-chain' connects 'ghost'"):
        plan_for(document, "restore", catalogue)


def test_targets_that_cannot_run(catalogue: Catalogue) -> None:
    document = graph([node("pipe", "PipelineNode", {"pipeline_id": "t2i-sd1.5"})])
    with pytest.raises(NothingToRunError, match="nothing to generate"):
        plan_for(document, "pipe", catalogue)
    with pytest.raises(NodeNotInGraphError):
        plan_for(document, "nope", catalogue)


def test_a_pipeline_input_the_shot_cannot_fill_is_an_error(catalogue: Catalogue) -> None:
    with pytest.raises(UnresolvedInputError, match="'i2v-ltx', which needs input\\(s\\) image"):
        plan_for(graph([shot(task_type="image-to-video")]), "shot", catalogue)


def test_a_file_typed_into_a_media_input_is_hashed_by_content(catalogue: Catalogue) -> None:
    document = graph([node("motion", "MotionSourceNode", {"source_video": "01_Assets/walk.mp4"})])
    with pytest.raises(UnresolvedInputError, match=re.escape("'01_Assets/walk.mp4', which is not in the project")):
        plan_for(document, "motion", catalogue)
    takes = MemoryTakeStore(files={"01_Assets/walk.mp4": b"walk cycle"})
    [step] = plan_for(document, "motion", catalogue, takes).steps
    [source] = step.inputs
    assert (source.source, source.value, source.content_hash) == (
        InputSource.WIDGET,
        "01_Assets/walk.mp4",
        sha256(b"walk cycle"),
    )


def test_sequence_and_assembler_compile_to_edl_and_render_steps(catalogue: Catalogue) -> None:
    document = graph(
        [
            shot("a", task_type="generate-video"),
            shot("b", task_type="generate-video", shot_id="SHOT-020"),
            node("seq", "SequenceNode", {"timeline": [{"node_id": "b"}, {"node_id": "a", "trim_in": 12}]}),
            node("vse", "VSEAssemblerNode"),
        ],
        [
            edge("e1", "a", "video", "seq", "clips"),
            edge("e2", "b", "video", "seq", "clips"),
            edge("e3", "seq", "edl", "vse", "sequence"),
        ],
    )
    plan = plan_for(document, "vse", catalogue)
    assert plan.step_ids[-2:] == ["seq", "vse"] and sorted(plan.step_ids[:2]) == ["a", "b"]
    seq = plan.steps[2]
    assert [i.node_id for i in seq.inputs if i.name == "clips"] == ["a", "b"]
    assert seq.params["timeline"][1] == {"node_id": "a", "trim_in": 12}
    assert seq.pipeline is None and plan.steps[3].pipeline is None


def test_a_shot_output_its_pipeline_does_not_make_cannot_feed_on(catalogue: Catalogue) -> None:
    document = graph(
        [shot(), node("restore", "VideoRestorationNode")], [edge("e1", "shot", "video", "restore", "video")]
    )
    with pytest.raises(UnresolvedInputError) as caught:
        plan_for(document, "restore", catalogue)
    assert caught.value.message.startswith(
        "Node 'shot' passes on its Video output 'video', but its pipeline 't2i-flux-schnell' produces Image"
    )


def test_ensure_runnable_is_the_check_before_dispatch(catalogue: Catalogue) -> None:
    document = video_chain()
    assert sorted(ensure_runnable(document, "restore", catalogue).upstream_closure("restore")) == [
        "restore",
        "shot",
    ]
    document["nodes"][1]["type"] = "RetiredNode"
    with pytest.raises(InvalidGraphError) as caught:
        ensure_runnable(document, "restore", catalogue)
    assert [(i.code, i.node_id) for i in caught.value.issues] == [(IssueCode.unknown_node_type, "restore")]


@pytest.fixture(scope="module")
def shipped() -> Catalogue:
    """The pipelines the studio ships (pipeline_images/), as the palette and the compiler see them."""
    return load_catalogue([Path(__file__).resolve().parents[3] / "pipeline_images"])


@pytest.mark.parametrize(
    ("task_type", "pipeline"),
    [("image-edit", "edit-flux-kontext-dev"), ("identity-image", "identity-flux-kontext-dev")],
)
def test_a_shots_image_feeds_an_edit_or_identity_shot_which_runs_its_kontext_pipeline(
    task_type: str, pipeline: str, shipped: Catalogue
) -> None:
    document = graph(
        [shot("still"), shot("changed", shot_id="SHOT-020", task_type=task_type, prompt="make it night")],
        [edge("e1", "still", "image", "changed", "image")],
    )
    assert validate_graph(document, shipped).issues == []
    plan = plan_for(document, "changed", shipped, quality=Quality.low)
    assert plan.step_ids == ["still", "changed"]
    step = plan.steps[-1]
    assert step.pipeline is not None
    assert (step.pipeline.pipeline_id, step.pipeline.chosen_by) == (pipeline, "quality map (low)")
    inputs = {i.name: i for i in step.inputs}
    assert (inputs["image"].source, inputs["image"].value) == (InputSource.STEP, "still")
    assert inputs["prompt"].value == "make it night"
    with pytest.raises(UnresolvedInputError, match=f"'{pipeline}', which needs input\\(s\\) image"):
        plan_for(graph([shot(task_type=task_type)]), "shot", shipped, quality=Quality.low)


def test_a_shot_whose_task_type_needs_inputs_a_shot_lacks_names_the_node_that_has_them(shipped: Catalogue) -> None:
    # faceswap-reactor takes a source face; a Shot has no such socket, so "connect it" would be no advice.
    with pytest.raises(UnresolvedInputError) as caught:
        plan_for(graph([shot(task_type="face-swap")]), "shot", shipped, quality=Quality.low)
    assert caught.value.message == (
        "Node 'shot' runs pipeline 'faceswap-reactor', which needs input(s) source, and a Shot node has no such "
        "input. Use a 'Face Swap' node from the palette for it, or choose another task type."
    )


def test_the_edit_pipelines_palette_node_takes_a_shots_image_and_an_instruction(shipped: Catalogue) -> None:
    spec = shipped.spec("pipeline:edit-flux-kontext-dev")
    assert spec is not None
    assert {name: port.type.value for name, port in spec.inputs.items()} == {"image": "Image", "prompt": "String"}
    document = graph(
        [shot("still"), node("edit", "pipeline:edit-flux-kontext-dev", {"prompt": "remove the boat", "steps": 20})],
        [edge("e1", "still", "image", "edit", "image")],
    )
    assert validate_graph(document, shipped).issues == []
    step = plan_for(document, "edit", shipped).steps[-1]
    assert step.pipeline is not None and step.pipeline.chosen_by == "node type"
    assert step.params == {"steps": 20}
    assert {i.name: i.value for i in step.inputs} == {"image": "still", "prompt": "remove the boat"}
