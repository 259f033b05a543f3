"""Making a template's manifest from what the user chose to expose: ports, params, bindings, outputs and seeds,
then checked against the workflow like any template on disk."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from function_runner.comfyui.template import MEDIA_SOCKETS, template_problems
from function_runner.comfyui.workflow import Workflow, describe_node, parse_workflow
from function_runner.errors import TemplateError
from schemas.models.node_type import NodeCategory
from schemas.models.pipeline_manifest import Port, TaskType, Widget
from schemas.models.pipeline_template import NodeInput, PipelineTemplate
from schemas.models.socket_type import SocketType
from server.templates.errors import InvalidTemplateError
from server.templates.inspection import OUTPUT_CLASSES, SEED_INPUTS, ExposeAs, guess_type

TEMPLATE_ID = r"^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$"
PORT_NAME = r"^[a-z][a-z0-9_]{0,47}$"
JSON_TYPES = {
    SocketType.String: "string",
    SocketType.Integer: "integer",
    SocketType.Float: "number",
    SocketType.Boolean: "boolean",
}
# A long text value, or one of these inputs, gets a multi-line box on the node.
TEXTAREA_INPUTS = frozenset({"text", "prompt", "negative", "negative_prompt"})
TEXTAREA_FROM = 60
CATEGORY_OF_OUTPUT = {
    SocketType.Image: NodeCategory.Generate,
    SocketType.Video: NodeCategory.Animate,
    SocketType.Audio: NodeCategory.Audio,
    SocketType.Mask: NodeCategory.Control,
    SocketType.ControlMap: NodeCategory.Control,
}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Exposure(Strict):
    node: Annotated[str, Field(max_length=64)]
    input: Annotated[str, Field(max_length=128)]
    name: Annotated[str, Field(pattern=PORT_NAME, description="The input's or setting's name on the canvas node.")]
    expose_as: ExposeAs = ExposeAs.SOCKET
    type: Annotated[SocketType | None, Field(description="Default: guessed from the node and its value.")] = None
    label: Annotated[str | None, Field(max_length=80)] = None


class OutputChoice(Strict):
    node: Annotated[str, Field(max_length=64)]
    name: Annotated[str, Field(pattern=PORT_NAME)]
    type: Annotated[SocketType | None, Field(description="Default: from the node's class (SaveImage: Image…).")] = None


class TemplateDraft(Strict):
    """What to make a template of: the workflow and the user's choices (POST …/templates, `studio templates import`)."""

    id: Annotated[str, Field(pattern=TEMPLATE_ID, description="Also the node type: template:<id>.")]
    title: Annotated[str, Field(min_length=1, max_length=80)]
    description: Annotated[str, Field(max_length=2000)] = ""
    category: NodeCategory | None = None
    task_type: TaskType | None = None
    workflow: dict[str, Any]
    expose: Annotated[list[Exposure], Field(max_length=48)] = []
    outputs: Annotated[list[OutputChoice], Field(min_length=1, max_length=16)]
    seeds: Annotated[
        list[NodeInput] | None, Field(description="Inputs the node's seed drives; default: every seed/noise_seed.")
    ] = None


def label_of(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _value(workflow: Workflow, node: str, input_name: str) -> Any:
    if node not in workflow:
        raise InvalidTemplateError(f"The workflow has no node '{node}'; pick one of its nodes.", field="expose")
    inputs = workflow[node]["inputs"]
    if input_name not in inputs:
        raise InvalidTemplateError(
            f"{describe_node(workflow, node)} has no input '{input_name}' (it has: {', '.join(sorted(inputs))}).",
            field="expose",
        )
    return inputs[input_name]


def _port(exposure: Exposure, socket: SocketType, value: Any) -> Port:
    media = socket in MEDIA_SOCKETS
    long_text = isinstance(value, str) and (exposure.input in TEXTAREA_INPUTS or len(value) > TEXTAREA_FROM)
    return Port(
        name=exposure.name,
        type=socket,
        label=exposure.label or label_of(exposure.name),
        # A file named in the workflow lives on the ComfyUI it came from: the node must be given its own.
        required=media,
        default=None if media else value,
        widget=Widget.file if media else Widget.textarea if long_text else None,
    )


def _param(exposure: Exposure, socket: SocketType, value: Any) -> dict[str, Any]:
    if socket not in JSON_TYPES:
        raise InvalidTemplateError(
            f"'{exposure.name}' is a {socket.value}, which can only be an input of the node; expose it as a socket.",
            field="expose",
        )
    return {"type": JSON_TYPES[socket], "title": exposure.label or label_of(exposure.name), "default": value}


def build_template(draft: TemplateDraft) -> tuple[PipelineTemplate, Workflow]:
    """The manifest for `draft`; every choice that does not fit the workflow is an InvalidTemplateError."""
    try:
        workflow = parse_workflow(draft.workflow, "The workflow")
    except TemplateError as exc:
        raise InvalidTemplateError(exc.message, field="workflow") from exc
    inputs: list[Port] = []
    params: dict[str, dict[str, Any]] = {}
    bindings: dict[str, list[NodeInput]] = {}
    for exposure in draft.expose:
        value = _value(workflow, exposure.node, exposure.input)
        socket = exposure.type or guess_type(workflow[exposure.node]["class_type"], exposure.input, value)
        # One name may set several node inputs (a width two nodes share): its first exposure makes the port.
        if exposure.name not in bindings and exposure.expose_as is ExposeAs.SOCKET:
            inputs.append(_port(exposure, socket, value))
        elif exposure.name not in bindings:
            params[exposure.name] = _param(exposure, socket, value)
        bindings.setdefault(exposure.name, []).append(NodeInput(node=exposure.node, input=exposure.input))
    outputs: list[Port] = []
    for choice in draft.outputs:
        if choice.node not in workflow:
            raise InvalidTemplateError(
                f"The workflow has no node '{choice.node}' to take the output '{choice.name}' from; pick one of its "
                "nodes.",
                field="outputs",
            )
        saved = choice.type or OUTPUT_CLASSES.get(workflow[choice.node]["class_type"])
        if saved is None:
            raise InvalidTemplateError(
                f"{describe_node(workflow, choice.node)} is not a node the studio knows to save a file; give the "
                f"output '{choice.name}' a type (Image, Video, Audio…) if it does.",
                field="outputs",
            )
        outputs.append(Port(name=choice.name, type=saved, label=label_of(choice.name)))
    seeds = draft.seeds if draft.seeds is not None else _seed_inputs(workflow)
    manifest = PipelineTemplate(
        schema_version=1,
        id=draft.id,
        version="1.0.0",
        title=draft.title,
        description=draft.description or None,
        category=draft.category or CATEGORY_OF_OUTPUT.get(outputs[0].type, NodeCategory.Generate),
        task_type=draft.task_type,
        inputs=inputs,
        outputs=outputs,
        params={"type": "object", "properties": params, "additionalProperties": False} if params else None,
        bindings=bindings,
        output_nodes={choice.name: choice.node for choice in draft.outputs},
        seed_inputs=seeds or None,
    )
    problems = template_problems(manifest, workflow)
    if problems:
        raise InvalidTemplateError(f"The template does not fit the workflow: {'; '.join(problems[:5])}.")
    return manifest, workflow


def _seed_inputs(workflow: Workflow) -> list[NodeInput]:
    return [
        NodeInput(node=node_id, input=name)
        for node_id, node in workflow.items()
        for name, value in node["inputs"].items()
        if name in SEED_INPUTS and isinstance(value, int) and not isinstance(value, bool)
    ]
