"""Loading pipeline templates: the shipped seeds load, and every mismatch with the workflow is a sentence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from function_runner.comfyui.template import load_template
from function_runner.comfyui.workflow import parse_workflow, with_values
from function_runner.errors import TemplateError
from schemas.models.pipeline_template import NodeInput
from tests.support.factories import SEED_TEMPLATES, copy_seed_template


def _edit(folder: Path, name: str, change: Any) -> None:
    path = folder / name
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document))


def _problem(folder: Path) -> str:
    with pytest.raises(TemplateError) as caught:
        load_template(folder)
    return caught.value.message


@pytest.mark.parametrize("template_id", ["sd15-txt2img", "sd15-img2img"])
def test_the_seed_templates_load_with_the_node_classes_of_their_workflow(template_id: str) -> None:
    template = load_template(SEED_TEMPLATES / template_id)
    assert template.id == template_id
    assert {"CheckpointLoaderSimple", "KSampler", "SaveImage", "VAEDecode"} <= template.node_classes
    assert ("LoadImage" in template.node_classes) is (template_id == "sd15-img2img")
    assert template.digest.startswith("sha256:") and len(template.digest) == 71


def test_the_digest_changes_with_the_workflow(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    before = load_template(folder).digest
    _edit(folder, "workflow.json", lambda w: w["3"]["inputs"].update(scheduler="karras"))
    assert load_template(folder).digest != before


def test_a_binding_to_a_node_the_workflow_lacks_names_the_node_and_the_known_ones(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    _edit(folder, "template.json", lambda t: t["bindings"]["steps"].append({"node": "66", "input": "steps"}))
    message = _problem(folder)
    assert "'steps' is bound to node '66', which the workflow does not have (its nodes: 3, 4, 5, 6, 7, 8, 9)" in message


def test_a_binding_to_an_input_the_node_lacks_lists_its_inputs(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    _edit(folder, "template.json", lambda t: t["bindings"].update(cfg=[{"node": "3", "input": "cfg_scale"}]))
    message = _problem(folder)
    assert "'cfg' is bound to input 'cfg_scale' of node '3' (KSampler), which has no such input" in message
    assert (
        "(it has: cfg, denoise, latent_image, model, negative, positive, sampler_name, scheduler, seed, steps)"
        in message
    )


def test_a_binding_to_a_connected_input_is_refused(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    _edit(folder, "template.json", lambda t: t["bindings"].update(prompt=[{"node": "8", "input": "vae"}]))
    assert "input 'vae' of node '8' (VAEDecode), which the workflow connects to node '4'" in _problem(folder)


def test_a_socket_type_that_does_not_fit_the_bound_value_is_refused(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)

    def integer_prompt(template: dict[str, Any]) -> None:
        template["inputs"][0]["type"] = "Integer"
        template["inputs"][0].pop("constraints")

    _edit(folder, "template.json", integer_prompt)
    message = _problem(folder)
    assert "'prompt' is bound to input 'text' of node '6' (CLIPTextEncode), which holds 'a lighthouse" in message
    assert "not a whole number" in message


def test_an_unknown_socket_type_is_refused_by_the_schema(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    _edit(folder, "template.json", lambda t: t["inputs"][0].update(type="Picture"))
    message = _problem(folder)
    assert "breaks schemas/pipeline-template.schema.json" in message
    assert "inputs/0/type: 'Picture' is not one of" in message


def test_a_socket_type_comfyui_cannot_take_is_refused(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    _edit(folder, "template.json", lambda t: t["outputs"][0].update(type="EDL"))
    assert "output 'image' has socket type EDL; a ComfyUI output is a file" in _problem(folder)


def test_unbound_inputs_unknown_bindings_and_output_nodes_are_each_named(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)

    def break_it(template: dict[str, Any]) -> None:
        del template["bindings"]["width"]
        template["bindings"]["speed"] = [{"node": "3", "input": "steps"}]
        template["output_nodes"] = {"image": "99", "video": "9"}

    _edit(folder, "template.json", break_it)
    message = _problem(folder)
    assert "'width' is bound to no workflow node input; add bindings.width" in message
    assert "binding 'speed' matches no input or param" in message
    assert "output 'image' comes from node '99', which the workflow does not have" in message
    assert "output_nodes names 'video', which is not one of the outputs" in message


def test_seed_is_reserved_and_seed_inputs_must_hold_integers(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)

    def break_it(template: dict[str, Any]) -> None:
        template["params"]["properties"]["seed"] = {"type": "integer"}
        template["bindings"]["seed"] = [{"node": "3", "input": "seed"}]
        template["seed_inputs"] = [{"node": "3", "input": "sampler_name"}]

    _edit(folder, "template.json", break_it)
    message = _problem(folder)
    assert "'seed' is the canvas node's own seed" in message
    assert (
        "the seed is bound to input 'sampler_name' of node '3' (KSampler), which holds 'euler', not a whole number"
        in message
    )


def test_the_folder_must_carry_the_id(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    folder.rename(tmp_path / "other-name")
    assert "field 'id' is 'sd15-txt2img' but the folder is 'other-name'" in _problem(tmp_path / "other-name")


def test_a_missing_workflow_says_what_a_template_folder_holds(tmp_path: Path) -> None:
    folder = copy_seed_template(tmp_path)
    (folder / "workflow.json").unlink()
    assert "A template folder holds template.json and workflow.json" in _problem(folder)


def test_a_workflow_in_the_ui_format_says_how_to_export_the_api_format() -> None:
    with pytest.raises(TemplateError, match=r"in the UI format .* Export \(API\)"):
        parse_workflow({"nodes": [], "links": [], "version": 0.4}, "workflow.json")


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ([], "is not a ComfyUI API-format workflow"),
        ({"3": {"inputs": {}}}, "node '3' has no class_type"),
        ({"3": {"class_type": "KSampler"}}, "node '3' (KSampler) has no inputs object"),
        ({"3": {"class_type": "VAEDecode", "inputs": {"vae": ["4", 2]}}}, "takes input 'vae' from node '4'"),
        ({"../3": {"class_type": "X", "inputs": {}}}, "has an id ComfyUI does not make"),
    ],
)
def test_malformed_workflows_are_refused_with_a_sentence(document: Any, fragment: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_workflow(document, "workflow.json")
    assert fragment in caught.value.message


def test_values_are_written_into_a_copy_of_the_workflow() -> None:
    workflow = parse_workflow(json.loads((SEED_TEMPLATES / "sd15-txt2img" / "workflow.json").read_text()), "w")
    prompt = with_values(workflow, [(NodeInput(node="3", input="seed"), 42), (NodeInput(node="6", input="text"), "x")])
    assert prompt["3"]["inputs"]["seed"] == 42 and prompt["6"]["inputs"]["text"] == "x"
    assert workflow["3"]["inputs"]["seed"] == 0 and workflow["6"]["inputs"]["text"].startswith("a lighthouse")
