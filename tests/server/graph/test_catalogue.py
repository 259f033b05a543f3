import json
from pathlib import Path

from schemas import describe_errors, load_schema
from schemas.models.node_type import Executor, NodeOrigin
from schemas.models.socket_type import SocketType
from server.config import SHIPPED_PIPELINES_DIR, SHIPPED_QUALITY_MAP
from server.graph.catalogue import BUILTIN_DIR, builtin_specs, load_catalogue
from server.graph.pipelines import discover_pipelines
from server.graph.quality import load_quality_map
from tests.support.graphs import manifest, port, write_manifest

TABLE_2 = {
    "ShotNode",
    "AssetNode",
    "PipelineNode",
    "SceneGroupNode",
    "MotionSourceNode",
    "AudioNode",
    "SuperResolutionNode",
    "VideoRestorationNode",
    "VSEAssemblerNode",
}


def test_builtins_are_table_2_plus_the_sequence_and_face_swap_nodes_each_valid_against_the_schema() -> None:
    files = sorted(BUILTIN_DIR.glob("*.json"))
    assert {f.stem for f in files} == TABLE_2 | {"SequenceNode", "FaceSwapNode"}
    for path in files:
        document = json.loads(path.read_text(encoding="utf-8"))
        assert describe_errors("node-type", document) == [], path.name
        assert document["id"] == path.stem


def test_builtins_that_run_a_pipeline_name_their_task_type() -> None:
    for spec in builtin_specs().values():
        if spec.definition.executor is Executor.pipeline:
            assert spec.definition.task_type is not None, spec.id


def test_table_2_sockets() -> None:
    specs = builtin_specs()

    def types(node_type: str, side: str) -> dict[str, SocketType]:
        ports = specs[node_type].inputs if side == "in" else specs[node_type].outputs
        return {name: p.type for name, p in ports.items()}

    assert types("ShotNode", "in")["pipeline"] is SocketType.PipelineReference
    assert types("ShotNode", "in")["character"] is SocketType.AssetReference
    assert types("ShotNode", "in")["prompt"] is SocketType.String
    assert set(types("ShotNode", "out").values()) == {SocketType.Image, SocketType.Video}
    assert types("MotionSourceNode", "out") == {"motion": SocketType.ControlMap}
    assert types("VideoRestorationNode", "in") == {"video": SocketType.Video}
    # Table 3's face swap: a source face and a target image or video, by the names faceswap-reactor takes.
    assert types("FaceSwapNode", "in") == {
        "source": SocketType.Image,
        "target": SocketType.Image,
        "target_video": SocketType.Video,
    }
    assert types("VSEAssemblerNode", "in") == {"sequence": SocketType.EDL}
    assert types("VSEAssemblerNode", "out") == {"final_video": SocketType.Video}
    assert types("SequenceNode", "out") == {"edl": SocketType.EDL}
    assert specs["SequenceNode"].inputs["clips"].multiple is True
    assert specs["SceneGroupNode"].definition.container is True


def test_sequence_clip_trims_are_whole_frames() -> None:
    check = builtin_specs()["SequenceNode"].params_check
    good = {"timeline": [{"node_id": "shot-1", "trim_in": 3, "trim_out": 0, "audio_offset": -2}]}
    assert check.problems(good) == []
    assert check.problems({"timeline": [{"node_id": "shot-1", "trim_in": 1.5}]}) == [
        "timeline/0/trim_in: 1.5 is not of type 'integer'"
    ]
    assert check.problems({"timeline": [{"node_id": "shot-1", "trim_out": -1}]}) == [
        "timeline/0/trim_out: -1 is less than the minimum of 0"
    ]


def test_the_sequence_params_are_the_sequence_contract() -> None:
    params = builtin_specs()["SequenceNode"].definition.params
    contract = load_schema("sequence")
    assert params["properties"] == contract["properties"] and params["$defs"] == contract["$defs"]
    check = builtin_specs()["SequenceNode"].params_check
    edited = {
        "fps": 24,
        "conform": "blend",
        "timeline": [{"node_id": "shot-1", "volume": 0.5}],
        "transitions": [{"after_clip": 0, "kind": "wipe", "frames": 8}],
        "titles": [{"text": "Act I", "start_frame": 0, "frames": 24, "position": "top"}],
        "audio_tracks": [{"node_id": "music", "offset": -12, "volume": 0.8}],
    }
    assert check.problems(edited) == []
    assert check.problems({"conform": "interpolate"}) == [
        "conform: 'interpolate' is not one of ['duplicate_drop', 'blend']"
    ]
    assert check.problems({"timeline": [{"node_id": "shot-1", "volume": 5}]}) == [
        "timeline/0/volume: 5 is greater than the maximum of 4"
    ]


def test_each_pipeline_manifest_becomes_a_node_type(tmp_path: Path) -> None:
    write_manifest(
        tmp_path / "images",
        manifest(
            "cpu-storyboard",
            inputs=[port("prompt", "String", required=True)],
            outputs=[port("image", "Image")],
            params={"type": "object", "properties": {"steps": {"type": "integer"}}},
        ),
    )
    write_manifest(tmp_path / "library", manifest("sr-thera", task_type="super-resolution", gpu=True))
    catalogue = load_catalogue([tmp_path / "images", tmp_path / "library", tmp_path / "absent"])

    assert sorted(catalogue.pipelines) == ["cpu-storyboard", "sr-thera"]
    storyboard = catalogue.specs["pipeline:cpu-storyboard"].definition
    assert storyboard.origin is NodeOrigin.pipeline
    assert storyboard.executor is Executor.pipeline
    assert storyboard.pipeline_id == "cpu-storyboard"
    assert storyboard.cpu_only is True
    assert [(p.name, p.type, p.required) for p in storyboard.inputs] == [("prompt", SocketType.String, True)]
    assert storyboard.params == {"type": "object", "properties": {"steps": {"type": "integer"}}}
    assert catalogue.specs["pipeline:sr-thera"].definition.cpu_only is False
    assert set(builtin_specs()) < set(catalogue.specs)


def test_a_pipeline_node_type_carries_the_licence_of_each_of_its_weights(tmp_path: Path) -> None:
    document = manifest("faceswap-tiny", task_type="face-swap", gpu=True)
    document["weights"] = [
        {"name": "INSwapper 128", "path": "inswapper-128", "format": "folder", "licence": "non-commercial research"},
        {"name": "SFW classifier", "path": "nsfw-image-detection", "format": "folder", "licence": "Apache-2.0"},
        {"name": "Unlicensed helper", "path": "helper", "format": "folder"},
    ]
    write_manifest(tmp_path, document)
    definition = load_catalogue([tmp_path]).specs["pipeline:faceswap-tiny"].definition
    assert [(entry.weights, entry.licence) for entry in definition.licences or []] == [
        ("INSwapper 128", "non-commercial research"),
        ("SFW classifier", "Apache-2.0"),
    ]
    assert load_catalogue([tmp_path]).specs["ShotNode"].definition.licences is None


def test_training_pipelines_are_no_palette_nodes_but_stay_in_the_catalogue(tmp_path: Path) -> None:
    write_manifest(tmp_path, manifest("train-lora-sd1.5", task_type="train-lora", category="Training"))
    write_manifest(tmp_path, manifest("t2i-sd1.5"))
    catalogue = load_catalogue([tmp_path])
    assert sorted(catalogue.pipelines) == ["t2i-sd1.5", "train-lora-sd1.5"]  # the Asset Manager trains with it
    assert "pipeline:t2i-sd1.5" in catalogue.specs
    assert "pipeline:train-lora-sd1.5" not in catalogue.specs
    assert all(node.task_type != "train-lora" for node in catalogue.node_types())


def test_broken_manifests_are_reported_and_left_out(tmp_path: Path) -> None:
    (tmp_path / "not-json").mkdir()
    (tmp_path / "not-json" / "pipeline.json").write_text("{", encoding="utf-8")
    write_manifest(tmp_path, {**manifest("no-image"), "image": None})
    write_manifest(tmp_path, manifest("misplaced"), folder="elsewhere")
    write_manifest(tmp_path, manifest("bad-params", params={"type": 12}))
    write_manifest(tmp_path, manifest("good-one"))

    catalogue = load_catalogue([tmp_path])

    assert list(catalogue.pipelines) == ["good-one"]
    messages = {Path(p.path).parent.name if "/" in p.path else p.path: p.message for p in catalogue.problems}
    assert set(messages) == {"not-json", "no-image", "elsewhere", "bad-params"}
    assert "not readable JSON" in messages["not-json"]
    assert "breaks schemas/pipeline-manifest.schema.json: image: None is not of type 'string'" in messages["no-image"]
    assert "declares id 'misplaced' but lives in folder 'elsewhere'" in messages["elsewhere"]
    assert "not a valid JSON Schema" in messages["bad-params"]


def test_the_first_folder_providing_a_pipeline_wins(tmp_path: Path) -> None:
    write_manifest(tmp_path / "first", manifest("t2i-sd1.5", version="1.0.0"))
    write_manifest(tmp_path / "second", manifest("t2i-sd1.5", version="2.0.0"))
    catalogue = load_catalogue([tmp_path / "first", tmp_path / "second"])
    assert catalogue.pipelines["t2i-sd1.5"].version == "1.0.0"
    assert len(catalogue.problems) == 1
    assert "already provided by" in catalogue.problems[0].message


def test_the_catalogue_is_read_again_when_a_manifest_changes_and_only_then(tmp_path: Path) -> None:
    write_manifest(tmp_path, manifest("t2i-sd1.5", version="1.0.0"))
    first = load_catalogue([tmp_path])
    assert load_catalogue([tmp_path]) is first  # nothing changed: not read again

    write_manifest(tmp_path, manifest("t2i-sd1.5", version="1.0.1"))  # same size, new content
    edited = load_catalogue([tmp_path])
    assert edited.pipelines["t2i-sd1.5"].version == "1.0.1"

    write_manifest(tmp_path, manifest("t2v-wan2.1-1.3b", task_type="generate-video"))
    assert sorted(load_catalogue([tmp_path]).pipelines) == ["t2i-sd1.5", "t2v-wan2.1-1.3b"]
    (tmp_path / "t2v-wan2.1-1.3b" / "pipeline.json").unlink()
    assert sorted(load_catalogue([tmp_path]).pipelines) == ["t2i-sd1.5"]


def test_the_drawing_hints_of_builtins_name_values_of_their_own_type() -> None:
    hinted = set()
    for spec in builtin_specs().values():
        ui = spec.definition.ui
        if ui is None:
            continue
        hinted.add(spec.id)
        inputs = {port.name for port in spec.definition.inputs}
        values = inputs | set(spec.definition.params.get("properties", {}))
        named = [f.name for f in ui.featured or []] + (ui.omit or []) + ([ui.subtitle] if ui.subtitle else [])
        assert set(named) <= values, (spec.id, set(named) - values)
        assert set(ui.hide_inputs or []) <= inputs, (spec.id, set(ui.hide_inputs or []) - inputs)
    # The nodes that were wrappers around the generic component each say what they feature.
    assert {"ShotNode", "AudioNode", "MotionSourceNode", "SuperResolutionNode", "VideoRestorationNode"} <= hinted


def test_a_shot_draws_every_input_its_task_type_s_pipelines_require() -> None:
    """A hidden Shot socket that a task type's pipeline needs is revealed by that task type, or the user could
    never wire the source image of an edit or the voice of a talking head."""
    shot = builtin_specs()["ShotNode"].definition
    assert shot.ui is not None and shot.ui.reveal_inputs is not None
    reveal = shot.ui.reveal_inputs
    hidden = set(shot.ui.hide_inputs or [])
    task_types = shot.params["properties"][reveal.param]["enum"]
    assert set(reveal.values) <= set(task_types)
    pipelines = discover_pipelines([SHIPPED_PIPELINES_DIR]).pipelines
    for task_type, tiers in load_quality_map(SHIPPED_QUALITY_MAP).task_types.items():
        if task_type not in task_types:
            continue
        needed = {
            port.name
            for pipeline_id in {tiers.low, tiers.standard, tiers.high, tiers.cpu} - {None}
            for port in pipelines[str(pipeline_id)].inputs
            if port.required and port.name in hidden
        }
        assert needed <= set(reveal.values.get(task_type, [])), (task_type, needed)
    assert set(reveal.values["image-edit"]) == {"image"}
