"""Pipeline templates in the node catalogue, validation and compilation."""

from __future__ import annotations

import json
from pathlib import Path

from schemas.models.graph_validation import IssueCode
from schemas.models.node_type import Executor, NodeOrigin
from schemas.models.project_manifest import Quality
from schemas.models.socket_type import SocketType
from server.config import SHIPPED_QUALITY_MAP
from server.graph.catalogue import load_catalogue
from server.graph.compiler import CompileContext, compile_node
from server.graph.plan import PipelineKind
from server.graph.quality import load_quality_map
from server.graph.validation import validate_graph
from tests.support.factories import SEED_TEMPLATES, copy_seed_template
from tests.support.graphs import MemoryTakeStore, graph, node


def test_each_template_becomes_a_node_type_with_the_seed_as_a_setting() -> None:
    catalogue = load_catalogue([], [SEED_TEMPLATES])
    assert sorted(catalogue.templates) == ["sd15-img2img", "sd15-txt2img"]
    definition = catalogue.specs["template:sd15-img2img"].definition
    assert definition.origin is NodeOrigin.template
    assert definition.executor is Executor.pipeline
    assert definition.template_id == "sd15-img2img" and definition.pipeline_id is None
    assert [(p.name, p.type, p.required) for p in definition.inputs] == [
        ("image", SocketType.Image, True),
        ("prompt", SocketType.String, True),
        ("negative_prompt", SocketType.String, False),
    ]
    assert [(p.name, p.type) for p in definition.outputs] == [("image", SocketType.Image)]
    properties = definition.params["properties"]
    assert set(properties) == {"strength", "steps", "cfg", "checkpoint", "seed"}
    assert properties["seed"]["maximum"] == 4294967295
    assert definition.title == "SD 1.5 image to image (ComfyUI)" and definition.category.value == "Edit"


def test_broken_templates_are_reported_and_the_project_copy_wins(tmp_path: Path) -> None:
    project, library = tmp_path / "project", tmp_path / "library"
    copy_seed_template(project, title="The project's own")
    copy_seed_template(library)
    broken = copy_seed_template(library, "sd15-img2img")
    (broken / "workflow.json").write_text("{", encoding="utf-8")

    catalogue = load_catalogue([], [project, library])

    assert list(catalogue.templates) == ["sd15-txt2img"]
    assert catalogue.specs["template:sd15-txt2img"].definition.title == "The project's own"
    messages = sorted(problem.message for problem in catalogue.problems)
    assert len(messages) == 2
    assert "already provided by" in messages[0] and str(project / "sd15-txt2img") in messages[0]
    assert "workflow.json is not readable JSON" in messages[1]


def test_template_settings_are_checked_like_any_node_type() -> None:
    catalogue = load_catalogue([], [SEED_TEMPLATES])
    document = graph([node("t", "template:sd15-txt2img", {"prompt": "dawn", "steps": 0, "seed": -1})])
    issues = validate_graph(document, catalogue).issues
    assert [i.code for i in issues] == [IssueCode.invalid_params]
    assert "seed: -1 is less than the minimum of 0" in issues[0].message
    assert "steps: 0 is less than the minimum of 1" in issues[0].message


def test_a_node_of_a_template_that_is_gone_says_how_to_get_it_back() -> None:
    issues = validate_graph(graph([node("t", "template:gone-one")]), load_catalogue([], [])).issues
    assert [i.code for i in issues] == [IssueCode.unknown_node_type]
    assert "Import the workflow again as template 'gone-one'" in str(issues[0].fix)


def test_a_template_node_compiles_to_a_step_of_the_template_with_its_digest_and_seed(tmp_path: Path) -> None:
    catalogue = load_catalogue([], [SEED_TEMPLATES])
    document = graph([node("t", "template:sd15-txt2img", {"prompt": "dawn", "steps": 12, "seed": 7})])
    context = CompileContext(
        catalogue=catalogue,
        quality=Quality.low,
        quality_map=load_quality_map(SHIPPED_QUALITY_MAP),
        takes=MemoryTakeStore(),
    )
    step = compile_node(document, "t", context).steps[-1]
    assert step.pipeline is not None
    assert step.pipeline.kind is PipelineKind.TEMPLATE
    assert step.pipeline.pipeline_id == "sd15-txt2img" and step.pipeline.image is None
    assert step.pipeline.image_digest == catalogue.templates["sd15-txt2img"].digest
    assert step.pipeline.requested_quality is None  # a template is itself, whatever the project quality
    assert step.seed == 7 and step.params == {"steps": 12}
    assert [(i.name, i.value) for i in step.inputs] == [
        ("prompt", "dawn"),
        ("negative_prompt", "text, watermark, blurry"),
    ]


def test_a_deterministic_template_is_keyed_by_its_digest(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path, deterministic=True)
    document = graph([node("t", "template:sd15-txt2img", {"prompt": "dawn", "seed": 7})])

    def key() -> str | None:
        context = CompileContext(
            catalogue=load_catalogue([], [tmp_path]),
            quality=Quality.low,
            quality_map=load_quality_map(SHIPPED_QUALITY_MAP),
            takes=MemoryTakeStore(),
        )
        return compile_node(document, "t", context).steps[-1].cache_key

    first = key()
    workflow = json.loads((folder / "workflow.json").read_text())
    workflow["3"]["inputs"]["scheduler"] = "karras"
    (folder / "workflow.json").write_text(json.dumps(workflow))
    assert first is not None and key() not in (None, first)
