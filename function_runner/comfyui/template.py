"""Pipeline templates: a folder with template.json (schemas/pipeline-template) and workflow.json (ComfyUI API
format), loaded and checked against each other so that every problem is a sentence naming node and input."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from pydantic import ValidationError

from function_runner.comfyui.workflow import Workflow, describe_node, is_link, node_classes, parse_workflow
from function_runner.errors import TemplateError
from schemas import describe_errors
from schemas.models.pipeline_manifest import Port
from schemas.models.pipeline_template import NodeInput, PipelineTemplate
from schemas.models.socket_type import SocketType

TEMPLATE_FILE = "template.json"
WORKFLOW_FILE = "workflow.json"
DEFAULT_TIMEOUT_S = 1800
SEED = "seed"  # the canvas node's own setting: a template may not name an input or param after it
MAX_PROBLEMS = 5

# What a bound node input must hold for each socket type: media inputs hold the name of an uploaded file.
MEDIA_SOCKETS = frozenset(
    {SocketType.Image, SocketType.Mask, SocketType.ControlMap, SocketType.Video, SocketType.Audio}
)
_SOCKET_VALUES: dict[SocketType, tuple[type, ...]] = {
    SocketType.String: (str,),
    SocketType.Integer: (int,),
    SocketType.Float: (int, float),
    SocketType.Boolean: (bool,),
    **{socket: (str,) for socket in MEDIA_SOCKETS},
}
# How a sentence names a kind of value.
_VALUE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
_JSON_VALUES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


@dataclass(frozen=True)
class Template:
    """A checked template: its manifest, its workflow and the folder they came from."""

    manifest: PipelineTemplate
    workflow: Workflow
    folder: Path

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def timeout_s(self) -> int:
        return self.manifest.timeout_s or DEFAULT_TIMEOUT_S

    @cached_property
    def node_classes(self) -> frozenset[str]:
        return node_classes(self.workflow)

    @cached_property
    def digest(self) -> str:
        return template_digest(self.manifest, self.workflow)

    def port(self, name: str) -> Port | None:
        return next((port for port in self.manifest.inputs if port.name == name), None)


def template_digest(manifest: PipelineTemplate, workflow: Workflow) -> str:
    """What a take of the template depends on besides its inputs: the mapping and the workflow, canonically."""
    document = {"template": manifest.model_dump(mode="json", exclude_none=True), "workflow": workflow}
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _read_json(path: Path, label: str) -> Any:
    if not path.is_file():
        raise TemplateError(
            f"Template '{label}': {path} does not exist. A template folder holds {TEMPLATE_FILE} and "
            f"{WORKFLOW_FILE} (`studio templates import FILE` makes both).",
            pipeline_id=label,
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise TemplateError(
            f"Template '{label}': {path} is not readable JSON ({exc}); fix the file.", pipeline_id=label
        ) from exc


def parse_manifest(document: Any, label: str) -> PipelineTemplate:
    errors = describe_errors("pipeline-template", document, limit=MAX_PROBLEMS)
    if errors:
        raise TemplateError(
            f"Template '{label}': {TEMPLATE_FILE} breaks schemas/pipeline-template.schema.json: "
            + "; ".join(f"field {error}" for error in errors)
            + ".",
            pipeline_id=label,
        )
    try:
        return PipelineTemplate.model_validate(document)
    except ValidationError as exc:  # the schema and the model agree; kept for a clear message anyway
        raise TemplateError(f"Template '{label}': {TEMPLATE_FILE}: {exc}", pipeline_id=label) from exc


def load_template(folder: Path) -> Template:
    """Read and check `folder`; every problem is a TemplateError whose sentences name the node and input at fault."""
    label = folder.name
    manifest = parse_manifest(_read_json(folder / TEMPLATE_FILE, label), label)
    if manifest.id != label:
        raise TemplateError(
            f"Template '{label}': field 'id' is '{manifest.id}' but the folder is '{label}'; rename one so they match.",
            pipeline_id=label,
        )
    workflow = parse_workflow(_read_json(folder / WORKFLOW_FILE, label), f"Template '{label}': {WORKFLOW_FILE}")
    return checked(manifest, workflow, folder)


def checked(manifest: PipelineTemplate, workflow: Workflow, folder: Path) -> Template:
    problems = template_problems(manifest, workflow)
    if problems:
        shown = "; ".join(problems[:MAX_PROBLEMS]) + (
            f" (and {len(problems) - MAX_PROBLEMS} more)" if len(problems) > MAX_PROBLEMS else ""
        )
        raise TemplateError(f"Template '{manifest.id}' does not fit its workflow: {shown}.", pipeline_id=manifest.id)
    return Template(manifest=manifest, workflow=workflow, folder=folder.resolve())


def template_problems(manifest: PipelineTemplate, workflow: Workflow) -> list[str]:
    """What the schema cannot say: every mapped name, node and input exists and holds the right kind of value."""
    problems: list[str] = []
    params = _param_types(manifest, problems)
    names = [port.name for port in manifest.inputs] + list(params)
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"'{name}' is both an input and a param (or declared twice); give each a unique name")
    if SEED in names:
        problems.append(f"'{SEED}' is the canvas node's own seed; list the seed inputs under seed_inputs instead")
    accepted: dict[str, tuple[type, ...]] = {**params}
    for port in manifest.inputs:
        if port.type not in _SOCKET_VALUES:
            problems.append(
                f"input '{port.name}' has socket type {port.type.value}, which a ComfyUI workflow cannot take; "
                "use String, Integer, Float, Boolean, Image, Mask, ControlMap, Video or Audio"
            )
            continue
        accepted[port.name] = _SOCKET_VALUES[port.type]
    for name in sorted(set(accepted) - set(manifest.bindings)):
        problems.append(f"'{name}' is bound to no workflow node input; add bindings.{name}")
    for name, targets in manifest.bindings.items():
        if name not in accepted:
            problems.append(f"binding '{name}' matches no input or param; declare it or remove the binding")
            continue
        for target in targets:
            problems.extend(_value_problems(workflow, f"'{name}'", target, accepted[name]))
    for target in manifest.seed_inputs or []:
        problems.extend(_value_problems(workflow, "the seed", target, (int,)))
    problems.extend(_overlaps(manifest))
    _output_problems(manifest, workflow, problems)
    return problems


def _overlaps(manifest: PipelineTemplate) -> list[str]:
    """A node input set by two names (or by a name and the seed) would take whichever came last."""
    owners: dict[tuple[str, str], list[str]] = {}
    for name, targets in manifest.bindings.items():
        for target in targets:
            owners.setdefault((target.node, target.input), []).append(f"'{name}'")
    for target in manifest.seed_inputs or []:
        owners.setdefault((target.node, target.input), []).append("the seed")
    return [
        f"input '{node_input}' of node '{node}' is set by both {' and '.join(names)}; let one of them set it"
        for (node, node_input), names in owners.items()
        if len(names) > 1
    ]


def _param_types(manifest: PipelineTemplate, problems: list[str]) -> dict[str, tuple[type, ...]]:
    """Param name -> the Python types its values have, from the params JSON Schema."""
    if manifest.params is None:
        return {}
    try:
        Draft202012Validator.check_schema(manifest.params)
    except SchemaError as exc:
        problems.append(f"'params' is not a valid JSON Schema ({exc.message})")
        return {}
    found: dict[str, tuple[type, ...]] = {}
    properties = manifest.params.get("properties", {})
    for name, schema in properties.items() if isinstance(properties, dict) else ():
        json_type = schema.get("type") if isinstance(schema, dict) else None
        if json_type not in _JSON_VALUES:
            problems.append(f"param '{name}' needs a \"type\" of string, integer, number or boolean")
            continue
        found[name] = _JSON_VALUES[json_type]
    return found


def _value_problems(workflow: Workflow, what: str, target: NodeInput, types: tuple[type, ...]) -> list[str]:
    node = workflow.get(target.node)
    if node is None:
        known = ", ".join(sorted(workflow)[:12])
        return [f"{what} is bound to node '{target.node}', which the workflow does not have (its nodes: {known})"]
    where = describe_node(workflow, target.node)
    inputs = node["inputs"]
    if target.input not in inputs:
        known = ", ".join(sorted(inputs)) or "none"
        return [f"{what} is bound to input '{target.input}' of {where}, which has no such input (it has: {known})"]
    value = inputs[target.input]
    if is_link(value):
        return [
            f"{what} is bound to input '{target.input}' of {where}, which the workflow connects to node "
            f"'{value[0]}'; bind an input that holds a value"
        ]
    if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
        wanted = _VALUE_NAMES[types[-1]]
        return [
            f"{what} is bound to input '{target.input}' of {where}, which holds {value!r}, not {wanted}; "
            "bind an input of that kind or change the socket type"
        ]
    return []


def _output_problems(manifest: PipelineTemplate, workflow: Workflow, problems: list[str]) -> None:
    outputs = {port.name: port for port in manifest.outputs}
    for name, port in outputs.items():
        if port.type not in MEDIA_SOCKETS:
            problems.append(
                f"output '{name}' has socket type {port.type.value}; a ComfyUI output is a file: use Image, Mask, "
                "ControlMap, Video or Audio"
            )
        if name not in manifest.output_nodes:
            problems.append(f"output '{name}' names no workflow node; add output_nodes.{name} (the node that saves it)")
    for name, node_id in manifest.output_nodes.items():
        if name not in outputs:
            problems.append(f"output_nodes names '{name}', which is not one of the outputs; declare it or remove it")
        elif node_id not in workflow:
            problems.append(f"output '{name}' comes from node '{node_id}', which the workflow does not have")
