"""server/graph/asset_inputs.py: a Shot's Character LoRA goes to its pipeline's LoRA input with the trigger word in the
prompt, unless the LoRA was trained on another base model than the pipeline runs (a sentence, not a failed run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from function_runner.manifest import find_pipeline
from schemas.models.canvas_graph import CanvasNode
from schemas.models.socket_type import SocketType
from server.graph.asset_inputs import AssetLora, with_lora
from server.graph.errors import UnresolvedInputError
from server.graph.plan import InputSource, ResolvedInput

PIPELINES = Path(__file__).resolve().parents[3] / "pipeline_images"
SHOT = CanvasNode.model_validate({"id": "shot", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}})
INPUTS = [
    ResolvedInput("character", SocketType.AssetReference, InputSource.ASSET, "x", "h", node_id="mara"),
    ResolvedInput("prompt", SocketType.String, InputSource.WIDGET, "at the lighthouse", "p"),
]


def lora(base_model: str) -> dict[str, AssetLora]:
    return {"mara": AssetLora("Mara Voss", "sks_mara", "loras/Mara_Voss_v01.safetensors", "s" * 64, 0.8, base_model)}


@pytest.mark.parametrize(
    ("pipeline", "base_model"),
    [
        ("t2i-flux-schnell", "FLUX.1-dev"),
        ("t2i-flux-dev-fp16", "FLUX.1-dev"),
        ("t2i-sd1.5", "stable-diffusion-v1-5"),
        ("identity-flux-kontext-dev", "FLUX.1-dev"),
    ],
)
def test_a_lora_of_the_pipeline_s_base_model_is_loaded_with_its_trigger_word(pipeline: str, base_model: str) -> None:
    manifest = find_pipeline(PIPELINES, pipeline).manifest
    inputs, params = with_lora(SHOT, manifest, INPUTS, {}, lora(base_model))
    by_name = {i.name: i for i in inputs}
    assert (by_name["lora"].value, by_name["lora"].content_hash) == ("loras/Mara_Voss_v01.safetensors", "s" * 64)
    assert by_name["prompt"].value == "sks_mara, at the lighthouse" and "character" not in by_name
    assert params == {"lora_weight": 0.8}


@pytest.mark.parametrize(
    ("pipeline", "base_model", "words"),
    [
        ("t2i-flux-schnell", "stable-diffusion-v1-5", "trained on Stable Diffusion 1.5 (stable-diffusion-v1-5)"),
        ("t2i-sd1.5", "FLUX.1-dev", "trained on FLUX.1 (FLUX.1-dev), but its pipeline 't2i-sd1.5' runs Stable"),
        (
            "identity-flux-kontext-dev",
            "stable-diffusion-v1-5",
            "(stable-diffusion-v1-5), but its pipeline 'identity-flux-kontext-dev' runs FLUX.1;",
        ),
    ],
)
def test_a_lora_of_another_base_model_gets_a_sentence(pipeline: str, base_model: str, words: str) -> None:
    manifest = find_pipeline(PIPELINES, pipeline).manifest
    with pytest.raises(UnresolvedInputError, match=re.escape(words)):
        with_lora(SHOT, manifest, INPUTS, {}, lora(base_model))
