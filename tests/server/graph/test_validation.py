from pathlib import Path
from typing import Any

import pytest

from schemas.models.canvas_graph import CanvasGraph
from schemas.models.graph_validation import IssueCode, Severity, ValidationReport
from server.graph.catalogue import Catalogue, load_catalogue
from server.graph.validation import validate_graph
from tests.support.graphs import Json, edge, graph, manifest, node, port, write_manifest


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Catalogue:
    pipelines: Path = tmp_path_factory.mktemp("pipelines")
    write_manifest(
        pipelines,
        manifest(
            "t2i-sd1.5",
            params={
                "type": "object",
                "properties": {"steps": {"type": "integer", "maximum": 150}},
                "additionalProperties": False,
            },
        ),
    )
    write_manifest(
        pipelines,
        manifest(
            "edit-omnigen2",
            task_type="image-edit",
            category="Edit",
            inputs=[port("image", "Image", required=True), port("mask", "Mask")],
            outputs=[port("image", "Image")],
        ),
    )
    return load_catalogue([pipelines])


def check(document: Any, catalogue: Catalogue) -> ValidationReport:
    return validate_graph(document, catalogue)


def found(report: ValidationReport) -> list[tuple[IssueCode, str | None, str | None]]:
    return [(i.code, i.node_id, i.edge_id) for i in report.issues]


def shot(node_id: str = "shot", **data: Any) -> Json:
    return node(node_id, "ShotNode", {"shot_id": "SHOT-010", "prompt": "a lighthouse", **data})


def test_a_well_formed_graph_has_no_issues(catalogue: Catalogue) -> None:
    document = graph(
        [
            node("scene", "SceneGroupNode", {"scene": "SCENE_01"}),
            node("pipe", "PipelineNode", {"pipeline_id": "t2i-sd1.5"}, parent="scene"),
            node("hero", "AssetNode", {"path": "01_Assets/Generative_Assets/Characters/hero"}),
            {**shot(), "parentId": "scene"},
            node("edit", "pipeline:edit-omnigen2"),
            node("motion", "MotionSourceNode", {"source_video": "01_Assets/Source_Media/walk.mp4"}),
        ],
        [
            edge("e1", "pipe", "pipeline", "shot", "pipeline"),
            edge("e2", "hero", "asset", "shot", "character"),
            edge("e3", "shot", "image", "edit", "image"),
            edge("e4", "motion", "motion", "shot", "motion"),
        ],
    )
    report = check(document, catalogue)
    assert report.issues == []
    assert report.valid is True


def test_a_document_that_breaks_the_canvas_schema_is_one_issue_per_problem(catalogue: Catalogue) -> None:
    report = check({"schema_version": 1, "nodes": [{"id": "a"}], "edges": []}, catalogue)
    assert report.valid is False
    assert {i.code for i in report.issues} == {IssueCode.graph_schema}
    assert any("nodes/0/type" in i.message for i in report.issues)


def test_the_schema_check_is_as_strict_as_the_json_schema(catalogue: Catalogue) -> None:
    document = graph([{**shot("s"), "position": {"x": "1", "y": 0}}])
    assert [i.message for i in check(document, catalogue).issues] == [
        "The graph breaks schemas/canvas-graph.schema.json at nodes/0/position/x: Input should be a valid number."
    ]


@pytest.mark.parametrize("document", [None, 7, "graph", [], {"nodes": "x"}, {"schema_version": 2}])
def test_anything_at_all_yields_issues_not_an_exception(document: Any, catalogue: Catalogue) -> None:
    report = check(document, catalogue)
    assert report.valid is False
    assert report.issues[0].code is IssueCode.graph_schema


def test_unknown_node_type_is_kept_and_reported(catalogue: Catalogue) -> None:
    report = check(graph([node("x", "WarpDriveNode"), node("p", "pipeline:not-installed")]), catalogue)
    assert found(report) == [
        (IssueCode.unknown_node_type, "x", None),
        (IssueCode.unknown_node_type, "p", None),
    ]
    assert "pipeline_images/not-installed/" in (report.issues[1].fix or "")


def test_duplicate_ids(catalogue: Catalogue) -> None:
    document = graph(
        [shot("a"), shot("a"), node("v", "VideoRestorationNode")],
        [edge("e", "a", "video", "v", "video"), edge("e", "a", "video", "v", "video")],
    )
    assert found(check(document, catalogue)) == [
        (IssueCode.duplicate_node_id, "a", None),
        (IssueCode.duplicate_edge_id, "v", "e"),
    ]


def test_incompatible_sockets(catalogue: Catalogue) -> None:
    document = graph(
        [shot("s"), node("r", "VideoRestorationNode"), node("a", "AudioNode", {"text": "hi"})],
        [
            edge("img-to-video", "s", "image", "r", "video"),
            edge("audio-to-image", "a", "audio", "s", "image"),
        ],
    )
    report = check(document, catalogue)
    issues = [(i.code, i.edge_id) for i in report.issues if i.code is IssueCode.incompatible_sockets]
    assert issues == [
        (IssueCode.incompatible_sockets, "img-to-video"),
        (IssueCode.incompatible_sockets, "audio-to-image"),
    ]
    assert "Image cannot be used as Video" in report.issues[0].message


def test_a_control_map_may_feed_an_image_input(catalogue: Catalogue) -> None:
    document = graph(
        [node("m", "MotionSourceNode", {"source_video": "a.mp4"}), node("e", "pipeline:edit-omnigen2")],
        [edge("e1", "m", "motion", "e", "image")],
    )
    assert check(document, catalogue).issues == []


def test_unknown_handles(catalogue: Catalogue) -> None:
    document = graph(
        [shot("s"), node("r", "VideoRestorationNode")],
        [edge("e1", "s", "sparkles", "r", "video"), edge("e2", "s", "video", "r", "nope")],
    )
    report = check(document, catalogue)
    assert [(i.code, i.edge_id) for i in report.issues if i.code is IssueCode.unknown_handle] == [
        (IssueCode.unknown_handle, "e1"),
        (IssueCode.unknown_handle, "e2"),
    ]
    assert "'image', 'video'" in report.issues[0].message


def test_an_edge_without_handles_uses_the_only_socket(catalogue: Catalogue) -> None:
    document = graph(
        [node("v1", "VideoRestorationNode", {}), node("v2", "VideoRestorationNode")],
        [edge("e1", "v1", None, "v2", None)],
    )
    assert [i.code for i in check(document, catalogue).issues] == [IssueCode.missing_required_input]


def test_dangling_edges(catalogue: Catalogue) -> None:
    document = graph([shot("s")], [edge("e1", "s", "video", "gone", "video"), edge("e2", "ghost", "x", "s", "image")])
    assert found(check(document, catalogue)) == [
        (IssueCode.dangling_edge, "s", "e1"),
        (IssueCode.dangling_edge, "s", "e2"),
    ]


def test_missing_required_inputs(catalogue: Catalogue) -> None:
    document = graph(
        [
            node("r", "VideoRestorationNode"),
            node("audio-empty", "AudioNode", {"text": ""}),
            node("audio-ok", "AudioNode", {"text": "Hello"}),
            node("motion-file", "MotionSourceNode", {"source_video": "01_Assets/Source_Media/walk.mp4"}),
            node("seq", "SequenceNode"),
        ],
    )
    assert found(check(document, catalogue)) == [
        (IssueCode.missing_required_input, "r", None),
        (IssueCode.missing_required_input, "audio-empty", None),
        (IssueCode.missing_required_input, "seq", None),
    ]


def test_a_single_input_takes_one_connection_a_multiple_one_many(catalogue: Catalogue) -> None:
    document = graph(
        [shot("a"), shot("b"), node("r", "VideoRestorationNode"), node("seq", "SequenceNode")],
        [
            edge("e1", "a", "video", "r", "video"),
            edge("e2", "b", "video", "r", "video"),
            edge("e3", "a", "video", "seq", "clips"),
            edge("e4", "b", "video", "seq", "clips"),
        ],
    )
    assert found(check(document, catalogue)) == [(IssueCode.too_many_connections, "r", "e2")]


def test_cycles_name_every_member(catalogue: Catalogue) -> None:
    document = graph(
        [node(n, "VideoRestorationNode") for n in ("a", "b", "c", "solo", "outside")],
        [
            edge("ab", "a", "video", "b", "video"),
            edge("bc", "b", "video", "c", "video"),
            edge("ca", "c", "video", "a", "video"),
            edge("self", "solo", "video", "solo", "video"),
            edge("out", "a", "video", "outside", "video"),
        ],
    )
    cycles = [(i.node_id, i.message) for i in check(document, catalogue).issues if i.code is IssueCode.cycle]
    assert sorted(n for n, _ in cycles) == ["a", "b", "c", "solo"]
    assert "'a', 'b', 'c'" in dict(cycles)["b"]


def test_params_that_break_their_schema(catalogue: Catalogue) -> None:
    document = graph(
        [
            shot("bad-shot-id", shot_id="shot ten"),
            node("p", "pipeline:t2i-sd1.5", {"prompt": "x", "steps": 500, "colour": "red"}),
            node("long", "ShotNode", {"shot_id": "SHOT-020", "prompt": "x" * 4001}),
            node("wrong-type", "AudioNode", {"text": 42}),
        ]
    )
    report = check(document, catalogue)
    assert found(report) == [
        (IssueCode.invalid_params, "bad-shot-id", None),
        (IssueCode.invalid_params, "p", None),
        (IssueCode.invalid_params, "long", None),
        (IssueCode.invalid_params, "wrong-type", None),
    ]
    assert "shot_id" in report.issues[0].message and "'shot ten' does not match" in report.issues[0].message
    assert "steps: 500 is greater than the maximum of 150" in report.issues[1].message
    assert "'colour' was unexpected" in report.issues[1].message
    assert "prompt:" in report.issues[2].message
    assert "text: 42 is not of type 'string'" in report.issues[3].message


def test_reserved_data_keys_are_not_params(catalogue: Catalogue) -> None:
    document = graph(
        [
            node(
                "p",
                "pipeline:t2i-sd1.5",
                {"prompt": "x", "active_take": "03_Renders/a.png", "type_version": "1.0.0"},
            )
        ]
    )
    assert check(document, catalogue).issues == []


def test_scene_group_nesting(catalogue: Catalogue) -> None:
    document = graph(
        [
            node("scene", "SceneGroupNode"),
            {**shot("orphan"), "parentId": "nowhere"},
            {**shot("in-a-shot"), "parentId": "orphan"},
            node("g1", "SceneGroupNode", parent="g2"),
            node("g2", "SceneGroupNode", parent="g1"),
            node("self", "SceneGroupNode", parent="self"),
            {**shot("fine"), "parentId": "scene"},
        ]
    )
    assert found(check(document, catalogue)) == [
        (IssueCode.unknown_parent, "orphan", None),
        (IssueCode.parent_not_a_group, "in-a-shot", None),
        (IssueCode.parent_not_a_group, "self", None),
        (IssueCode.parent_cycle, "g1", None),
        (IssueCode.parent_cycle, "g2", None),
    ]


def test_pipeline_node_must_name_an_installed_pipeline_at_its_version(catalogue: Catalogue) -> None:
    document = graph(
        [
            node("missing", "PipelineNode", {"pipeline_id": "t2v-ltx-13b"}),
            node("pinned", "PipelineNode", {"pipeline_id": "t2i-sd1.5", "version": "2.0.0"}),
            node("ok", "PipelineNode", {"pipeline_id": "t2i-sd1.5", "version": "1.0.0"}),
        ]
    )
    assert found(check(document, catalogue)) == [
        (IssueCode.unknown_pipeline, "missing", None),
        (IssueCode.pipeline_version_mismatch, "pinned", None),
    ]


def test_type_versions_same_major_upgrades_other_major_is_flagged_never_dropped(catalogue: Catalogue) -> None:
    document = CanvasGraph.model_validate(
        graph(
            [
                shot("old-minor", type_version="1.0.0-beta"),
                shot("current", type_version="1.0.0"),
                shot("next-major", type_version="2.1.0"),
                shot("garbage", type_version={"major": 1}),
            ]
        )
    )
    report = check(document, catalogue)
    assert [(i.code, i.node_id, i.severity) for i in report.issues] == [
        (IssueCode.type_version_upgraded, "old-minor", Severity.info),
        (IssueCode.type_version_incompatible, "next-major", Severity.error),
        (IssueCode.type_version_incompatible, "garbage", Severity.error),
    ]
    versions = {n.id: n.data.get("type_version") for n in document.nodes}
    assert versions == {
        "old-minor": "1.0.0",
        "current": "1.0.0",
        "next-major": "2.1.0",
        "garbage": {"major": 1},
    }


def test_a_raw_document_is_not_modified(catalogue: Catalogue) -> None:
    document = graph([shot("s", type_version="1.0.0-rc.1")])
    check(document, catalogue)
    assert document["nodes"][0]["data"]["type_version"] == "1.0.0-rc.1"


def test_info_issues_leave_the_graph_valid(catalogue: Catalogue) -> None:
    report = check(graph([shot("s", type_version="1.0.0-rc.1")]), catalogue)
    assert report.valid is True and len(report.issues) == 1


def test_a_sequence_timeline_cuts_only_connected_clips(catalogue: Catalogue) -> None:
    def sequence(timeline: list[str], transitions: list[int]) -> Json:
        return graph(
            [
                shot("a"),
                shot("b"),
                node(
                    "seq",
                    "SequenceNode",
                    {
                        "timeline": [{"node_id": n} for n in timeline],
                        "transitions": [{"after_clip": i, "kind": "dissolve"} for i in transitions],
                    },
                ),
            ],
            [edge("e1", "a", "video", "seq", "clips"), edge("e2", "b", "video", "seq", "clips")],
        )

    assert check(sequence(["b", "a"], [0]), catalogue).issues == []
    report = check(sequence(["a", "ghost"], [1]), catalogue)
    assert found(report) == [
        (IssueCode.sequence_timeline, "seq", None),
        (IssueCode.sequence_timeline, "seq", None),
    ]
    assert "cuts 'ghost' in its timeline, but that node is not connected" in report.issues[0].message
    assert "transition after clip 1, but its timeline has 2 clip(s)" in report.issues[1].message
