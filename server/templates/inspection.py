"""Reading a workflow file someone wants to import (API-format JSON, or a PNG ComfyUI saved it in) and proposing
what to expose: every value input of every node with a socket type and a name, the output nodes, the seeds."""

from __future__ import annotations

import json
import re
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel

from function_runner.comfyui.workflow import Workflow, is_link, node_classes, parse_workflow, title_of
from function_runner.errors import TemplateError
from schemas.models.pipeline_template import NodeInput
from schemas.models.socket_type import SocketType
from server.templates.errors import InvalidTemplateError
from server.templates.png_prompt import is_png, prompt_text

# Inputs of ComfyUI's loader nodes (core and the widespread VideoHelperSuite) that name a file in its input folder.
MEDIA_LOADERS: dict[tuple[str, str], SocketType] = {
    ("LoadImage", "image"): SocketType.Image,
    ("LoadImageMask", "image"): SocketType.Mask,
    ("LoadVideo", "file"): SocketType.Video,
    ("LoadAudio", "audio"): SocketType.Audio,
    ("VHS_LoadVideo", "video"): SocketType.Video,
    ("VHS_LoadAudioUpload", "audio"): SocketType.Audio,
}
# Nodes that save a file, and the socket type of what they save.
OUTPUT_CLASSES: dict[str, SocketType] = {
    "SaveImage": SocketType.Image,
    "PreviewImage": SocketType.Image,
    "SaveAnimatedWEBP": SocketType.Image,
    "SaveAnimatedPNG": SocketType.Image,
    "SaveVideo": SocketType.Video,
    "SaveWEBM": SocketType.Video,
    "VHS_VideoCombine": SocketType.Video,
    "SaveAudio": SocketType.Audio,
    "SaveAudioMP3": SocketType.Audio,
    "SaveAudioOpus": SocketType.Audio,
}
SEED_INPUTS = frozenset({"seed", "noise_seed"})
# A text node feeding a sampler's conditioning input is its prompt.
PROMPT_NAMES = {"positive": "prompt", "negative": "negative_prompt"}
NAME = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


class ExposeAs(StrEnum):
    SOCKET = "socket"  # an input of the node: connectable, or typed into it
    PARAM = "param"  # a setting of the node


class InputCandidate(BaseModel):
    node: str
    input: str
    class_type: str
    title: str  # the node's title in ComfyUI
    value: Any  # the workflow's own value
    type: SocketType
    name: str  # a suggested unique name
    expose_as: ExposeAs
    suggested: bool  # pre-selected: prompts and media files


class OutputCandidate(BaseModel):
    node: str
    class_type: str
    title: str
    type: SocketType
    name: str


class WorkflowInspection(BaseModel):
    id: str  # suggested template id, from the file name
    title: str
    workflow: dict[str, Any]  # the API-format workflow, to send back when saving
    node_classes: list[str]
    inputs: list[InputCandidate]
    outputs: list[OutputCandidate]
    seeds: list[NodeInput]


def read_workflow(data: bytes, filename: str) -> Workflow:
    """The API-format workflow in an uploaded file: a JSON file, or the prompt chunk of a ComfyUI PNG."""
    text = prompt_text(data) if is_png(data) else None
    if text is None:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidTemplateError(
                f"'{filename}' is neither a PNG nor UTF-8 JSON; drop a workflow exported with Workflow > Export "
                "(API), or an image saved by ComfyUI."
            ) from exc
    try:
        document = json.loads(text, parse_constant=_not_json)
    except (json.JSONDecodeError, ValueError) as exc:
        raise InvalidTemplateError(f"'{filename}' does not hold valid JSON ({exc}).") from exc
    try:
        return parse_workflow(document, f"'{filename}'")
    except TemplateError as exc:
        raise InvalidTemplateError(exc.message) from exc


def _not_json(constant: str) -> Any:
    """Python reads NaN and Infinity, which JSON has not (and no response could carry back)."""
    raise ValueError(f"{constant} is not a JSON number")


def slug(text: str, fallback: str = "value") -> str:
    """`text` as a port name: lower case letters, digits and underscores, starting with a letter."""
    cleaned = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"{fallback}_{cleaned}".strip("_")
    return cleaned[:48].rstrip("_")


def guess_type(class_type: str, input_name: str, value: Any) -> SocketType:
    if (class_type, input_name) in MEDIA_LOADERS:
        return MEDIA_LOADERS[(class_type, input_name)]
    if isinstance(value, bool):
        return SocketType.Boolean
    if isinstance(value, int):
        return SocketType.Integer
    if isinstance(value, float):
        return SocketType.Float
    return SocketType.String


def _consumers(workflow: Workflow) -> dict[str, set[str]]:
    """Node id -> the names of the inputs its outputs feed."""
    fed: dict[str, set[str]] = {}
    for node in workflow.values():
        for name, value in node["inputs"].items():
            if is_link(value):
                fed.setdefault(value[0], set()).add(name)
    return fed


class _Names:
    """Hands out unique port names: the preferred one, else the node id appended."""

    def __init__(self) -> None:
        self.taken: set[str] = {"seed"}  # the canvas node's own setting

    def claim(self, preferred: str, node_id: str) -> str:
        name = preferred
        if name in self.taken:
            name = slug(f"{preferred}_{node_id}")
        counter = 2
        while name in self.taken:
            name, counter = slug(f"{preferred}_{node_id}_{counter}"), counter + 1
        self.taken.add(name)
        return name


def inspect_workflow(workflow: Workflow, filename: str) -> WorkflowInspection:
    consumers = _consumers(workflow)
    names = _Names()
    inputs: list[InputCandidate] = []
    seeds: list[NodeInput] = []
    for node_id in sorted(workflow, key=_node_order):
        node = workflow[node_id]
        class_type = node["class_type"]
        for input_name, value in node["inputs"].items():
            if is_link(value) or not isinstance(value, str | int | float | bool):
                continue
            if input_name in SEED_INPUTS and isinstance(value, int) and not isinstance(value, bool):
                seeds.append(NodeInput(node=node_id, input=input_name))
                continue
            socket = guess_type(class_type, input_name, value)
            prompt = next((PROMPT_NAMES[c] for c in sorted(consumers.get(node_id, ())) if c in PROMPT_NAMES), None)
            is_prompt = socket is SocketType.String and prompt is not None and input_name == "text"
            media = socket not in (SocketType.String, SocketType.Integer, SocketType.Float, SocketType.Boolean)
            inputs.append(
                InputCandidate(
                    node=node_id,
                    input=input_name,
                    class_type=class_type,
                    title=title_of(workflow, node_id),
                    value=value,
                    type=socket,
                    name=names.claim(prompt if is_prompt and prompt else slug(input_name), node_id),
                    expose_as=ExposeAs.SOCKET if media or is_prompt else ExposeAs.PARAM,
                    suggested=media or is_prompt,
                )
            )
    output_names = _Names()  # outputs have names of their own: an input and an output may both be 'image'
    outputs = [
        OutputCandidate(
            node=node_id,
            class_type=workflow[node_id]["class_type"],
            title=title_of(workflow, node_id),
            type=OUTPUT_CLASSES[workflow[node_id]["class_type"]],
            name=output_names.claim(OUTPUT_CLASSES[workflow[node_id]["class_type"]].value.lower(), node_id),
        )
        for node_id in sorted(workflow, key=_node_order)
        if workflow[node_id]["class_type"] in OUTPUT_CLASSES
    ]
    stem = PurePath(filename).stem or "workflow"
    return WorkflowInspection(
        id=_template_id(stem),
        title=stem.replace("_", " ").replace("-", " ").strip()[:80] or "ComfyUI workflow",
        workflow=workflow,
        node_classes=sorted(node_classes(workflow)),
        inputs=inputs,
        outputs=outputs,
        seeds=seeds,
    )


def _node_order(node_id: str) -> tuple[int, str]:
    """Numeric ids in number order ("3" before "10"), the rest after them."""
    return (int(node_id), "") if node_id.isdigit() else (10**9, node_id)


def _template_id(stem: str) -> str:
    candidate = re.sub(r"[^a-z0-9.-]+", "-", stem.lower()).strip("-.")[:64].strip("-.")
    return candidate if len(candidate) >= 3 else f"workflow-{candidate}".strip("-")
