"""Asset nodes in a plan (PRD §5.3): an Asset node that references an asset by uuid hands downstream its trained
LoRA (newest version, or the one it names), its trigger word and its weight; a step whose pipeline loads a LoRA gets
the Character's (else the Style's) as that pipeline's AssetReference input, its weight as `lora_weight`, and the
trigger word in its prompt, so all three are in the step's cache key and its take's sidecar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from schemas.models.canvas_graph import CanvasNode
from schemas.models.pipeline_manifest import PipelineManifest
from schemas.models.socket_type import SocketType
from server.assets.documents import StoredAsset
from server.graph.cache_keys import value_hash
from server.graph.errors import UnresolvedInputError
from server.graph.plan import InputSource, ResolvedInput

AssetLookup = Callable[[str], StoredAsset]
# The Shot inputs a LoRA comes from, first found first.
LORA_SOURCES = ("character", "style")
WEIGHT_PARAM = "lora_weight"
DEFAULT_WEIGHT = 1.0
# Model store folder -> the architecture its LoRAs fit: a FLUX.1 [dev] LoRA loads in [schnell] and Kontext [dev]
# (the same transformer) too, never in SD.
LORA_FAMILIES = {
    "stable-diffusion-v1-5": "Stable Diffusion 1.5",
    "FLUX.1-dev": "FLUX.1",
    "FLUX.1-schnell": "FLUX.1",
    "FLUX.1-Kontext-dev": "FLUX.1",
}


@dataclass(frozen=True)
class AssetLora:
    name: str
    trigger_word: str
    path: str  # repository-relative .safetensors
    sha256: str
    weight: float
    base_model: str  # the model store folder it was trained on


def asset_lora(node: CanvasNode, assets: AssetLookup) -> AssetLora:
    """The LoRA an Asset node referencing `asset_id` hands on (its `version`, else the newest)."""
    stored = assets(str(node.data["asset_id"]))
    asset, wanted = stored.asset, node.data.get("version")
    versions = [v for v in asset.versions if wanted is None or v.version == wanted]
    if not versions:
        which = f"no version {wanted}" if wanted is not None else "no trained version yet"
        raise UnresolvedInputError(
            f"Asset node '{node.id}' uses '{asset.name}', which has {which}; train it in the Asset Manager "
            "(or choose one of its versions) first.",
            field="graph",
        )
    version = versions[-1]
    weight = node.data.get("weight", DEFAULT_WEIGHT)
    return AssetLora(
        asset.name, asset.trigger_word, stored.path(version.file), version.sha256, float(weight), version.base_model
    )


def with_lora(
    node: CanvasNode,
    manifest: PipelineManifest,
    inputs: list[ResolvedInput],
    params: dict[str, Any],
    loras: dict[str, AssetLora],
) -> tuple[list[ResolvedInput], dict[str, Any]]:
    """`inputs` and `params` of a step on `manifest` with the LoRA of its Character (else Style) asset applied."""
    connected = [i for name in LORA_SOURCES for i in inputs if i.name == name and i.node_id in loras]
    if not connected:
        return inputs, params
    lora = loras[str(connected[0].node_id)]
    port = next((p for p in manifest.inputs if p.type is SocketType.AssetReference), None)
    if port is None:
        raise UnresolvedInputError(
            f"Node '{node.id}' has '{lora.name}' connected, but its pipeline '{manifest.id}' cannot load a LoRA; "
            "choose a pipeline that can (e.g. t2i-sd1.5), or disconnect the asset.",
            field="graph",
        )
    trained_on = LORA_FAMILIES.get(lora.base_model)
    runs_on = {LORA_FAMILIES.get(w.path) for w in manifest.weights or []}
    if trained_on is not None and runs_on and None not in runs_on and trained_on not in runs_on:
        raise UnresolvedInputError(
            f"Node '{node.id}' has '{lora.name}' connected, a LoRA trained on {trained_on} ({lora.base_model}), but "
            f"its pipeline '{manifest.id}' runs {', '.join(sorted(str(f) for f in runs_on))}; choose a "
            f"{trained_on} pipeline, or train the asset on this pipeline's base model.",
            field="graph",
        )
    kept = [i for i in inputs if i.name not in LORA_SOURCES]
    kept.append(ResolvedInput(port.name, SocketType.AssetReference, InputSource.ASSET, lora.path, lora.sha256))
    prompted = [_with_trigger(i, lora.trigger_word) if i.name == "prompt" else i for i in kept]
    if not any(i.name == "prompt" for i in kept):
        prompted.append(ResolvedInput("prompt", SocketType.String, InputSource.WIDGET, lora.trigger_word, None))
        prompted[-1] = replace(prompted[-1], content_hash=value_hash(lora.trigger_word))
    return prompted, {**params, WEIGHT_PARAM: lora.weight}


def _with_trigger(prompt: ResolvedInput, trigger_word: str) -> ResolvedInput:
    """The prompt naming the trigger word (first, unless the user already wrote it)."""
    if prompt.source not in (InputSource.WIDGET, InputSource.DEFAULT) or not isinstance(prompt.value, str):
        return prompt
    if trigger_word.lower() in prompt.value.lower().split():
        return prompt
    value = f"{trigger_word}, {prompt.value}" if prompt.value else trigger_word
    return replace(prompt, source=InputSource.WIDGET, value=value, content_hash=value_hash(value))
