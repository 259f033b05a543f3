"""The stand-in answers as ComfyUI does, so the runner's tests exercise the real protocol."""

from __future__ import annotations

import json

import requests

from tests.support.comfyui.server import ComfyUIStandIn
from tests.support.factories import SEED_TEMPLATES

WORKFLOW = json.loads((SEED_TEMPLATES / "sd15-txt2img" / "workflow.json").read_text())


def test_object_info_lists_classes_in_comfyuis_shape(comfyui: ComfyUIStandIn) -> None:
    info = requests.get(f"{comfyui.url}/object_info/KSampler", timeout=5).json()
    sampler = info["KSampler"]
    assert sampler["input"]["required"]["steps"] == ["INT", {"default": 20, "min": 1, "max": 10000}]
    assert sampler["output"] == ["LATENT"] and sampler["output_node"] is False
    assert requests.get(f"{comfyui.url}/api/object_info/Nope", timeout=5).json() == {}


def test_a_prompt_with_an_unknown_class_or_a_value_out_of_range_is_refused_as_comfyui_does(
    comfyui: ComfyUIStandIn,
) -> None:
    unknown = {**WORKFLOW, "3": {**WORKFLOW["3"], "class_type": "KSamplerAdvancedPlus"}}
    refused = requests.post(f"{comfyui.url}/prompt", json={"prompt": unknown}, timeout=5)
    assert refused.status_code == 400
    assert refused.json() == {
        "error": {
            "type": "invalid_prompt",
            "message": "Cannot execute because node KSamplerAdvancedPlus does not exist.",
            "details": "Node ID '#3'",
            "extra_info": {},
        },
        "node_errors": {},
    }
    bad = json.loads(json.dumps(WORKFLOW))
    bad["3"]["inputs"]["steps"] = 0
    refused = requests.post(f"{comfyui.url}/prompt", json={"prompt": bad}, timeout=5)
    assert refused.status_code == 400
    body = refused.json()
    assert body["error"]["type"] == "prompt_outputs_failed_validation"
    assert body["node_errors"]["3"]["class_type"] == "KSampler"
    assert body["node_errors"]["3"]["dependent_outputs"] == ["9"]
    assert body["node_errors"]["3"]["errors"][0]["message"] == "Value 0 smaller than min of 1"
