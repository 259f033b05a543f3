"""The node palette: built-in node types (data files in node_types/) plus one per pipeline manifest."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from jsonschema.exceptions import SchemaError

from function_runner.comfyui.template import TEMPLATE_FILE, WORKFLOW_FILE, Template
from schemas import describe_errors, load_schema
from schemas.models.node_type import Executor, NodeCategory, NodeOrigin, NodeType, WeightLicence
from schemas.models.pipeline_manifest import PipelineManifest, Port, TaskType
from schemas.models.socket_type import SocketType
from server.graph.pipelines import MANIFEST_NAME, ManifestProblem, discover_pipelines
from server.graph.schema_checks import SchemaCheck
from server.graph.templates import discover_templates

BUILTIN_DIR = Path(__file__).resolve().parent / "node_types"
PIPELINE_TYPE_PREFIX = "pipeline:"
TEMPLATE_TYPE_PREFIX = "template:"
# The canvas node's seed, written to a template's seed inputs (pipeline seeds are 32-bit too).
SEED_PARAM = {
    "type": "integer",
    "minimum": 0,
    "maximum": 4294967295,
    "x-widget": "number",
    "description": "Written to the workflow's seed inputs: the same seed makes the same take again.",
}
# Keys of node data the studio itself manages; never part of a node type's params.
RESERVED_DATA_KEYS = frozenset({"type_version", "active_take"})
# The JSON type of a value typed into an unconnected input; media inputs take a repo-relative path.
WIDGET_JSON_TYPE = {
    SocketType.String: "string",
    SocketType.Integer: "integer",
    SocketType.Float: "number",
    SocketType.Boolean: "boolean",
}
# The sockets whose unconnected widget holds a typed value; any other widget names a project file.
PRIMITIVE_SOCKETS = frozenset(WIDGET_JSON_TYPE)


@dataclass(frozen=True)
class NodeSpec:
    """A node type prepared for checking nodes against it."""

    definition: NodeType
    inputs: dict[str, Port]
    outputs: dict[str, Port]
    params_check: SchemaCheck
    # Input name -> checks a value typed into the input's widget (used when it is not connected).
    widget_checks: dict[str, SchemaCheck]
    # Params that name or number things without changing what a run produces (x-affects-output: false).
    output_neutral_params: frozenset[str]
    # Inputs whose widget, when unconnected, names a project file (media) rather than holding a typed value.
    file_inputs: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def major_version(self) -> int:
        return int(self.definition.version.split(".", 1)[0])

    def params_of(self, data: dict[str, Any]) -> dict[str, Any]:
        """The node data the params schema covers: everything but reserved keys and input widget values."""
        return {k: v for k, v in data.items() if k not in RESERVED_DATA_KEYS and k not in self.inputs}


def _widget_check(port: Port) -> SchemaCheck:
    return SchemaCheck.of({**(port.constraints or {}), "type": WIDGET_JSON_TYPE.get(port.type, "string")})


def prepare(definition: NodeType) -> NodeSpec:
    params = definition.params
    properties = params.get("properties", {})
    return NodeSpec(
        definition=definition,
        inputs={port.name: port for port in definition.inputs},
        outputs={port.name: port for port in definition.outputs},
        params_check=SchemaCheck.of(params),
        widget_checks={port.name: _widget_check(port) for port in definition.inputs},
        output_neutral_params=frozenset(
            name
            for name, schema in properties.items()
            if isinstance(schema, dict) and schema.get("x-affects-output") is False
        ),
        file_inputs=tuple(port.name for port in definition.inputs if port.type not in PRIMITIVE_SOCKETS),
    )


def _params_from_contract(params: dict[str, Any]) -> dict[str, Any]:
    """A built-in's params given as {"$ref": "<name>.schema.json"}: that contract, inlined, so the node's data is
    defined once in schemas/ (the Sequence's timeline) and the palette, the checks and the generated types agree."""
    ref = params.get("$ref")
    if set(params) != {"$ref"} or not isinstance(ref, str) or not ref.endswith(".schema.json"):
        return params
    contract = load_schema(ref.removesuffix(".schema.json"))
    return {key: value for key, value in contract.items() if key not in ("$schema", "$id")}


def _load_builtin(path: Path) -> NodeType:
    document = json.loads(path.read_text(encoding="utf-8"))
    document["params"] = _params_from_contract(document.get("params", {}))
    errors = describe_errors("node-type", document)
    if errors:
        raise ValueError(f"Built-in node type {path.name} breaks schemas/node-type.schema.json: {errors}")
    return NodeType.model_validate(document)


@cache
def builtin_specs() -> dict[str, NodeSpec]:
    specs = {}
    for path in sorted(BUILTIN_DIR.glob("*.json")):
        spec = prepare(_load_builtin(path))
        specs[spec.id] = spec
    return specs


def node_type_id_for(pipeline_id: str) -> str:
    return f"{PIPELINE_TYPE_PREFIX}{pipeline_id}"


def node_type_from_manifest(manifest: PipelineManifest) -> NodeType:
    return NodeType(
        id=node_type_id_for(manifest.id),
        version=manifest.version,
        title=manifest.title,
        description=manifest.description,
        category=NodeCategory(manifest.category.value),
        origin=NodeOrigin.pipeline,
        executor=Executor.pipeline,
        task_type=manifest.task_type,
        pipeline_id=manifest.id,
        cpu_only=not manifest.resources.gpu,
        licences=_licences(manifest),
        inputs=manifest.inputs,
        outputs=manifest.outputs,
        params=manifest.params or {"type": "object"},
    )


def _licences(manifest: PipelineManifest) -> list[WeightLicence] | None:
    found = [WeightLicence(weights=w.name, licence=w.licence) for w in manifest.weights or [] if w.licence]
    return found or None


def node_type_from_template(template: Template) -> NodeType:
    manifest = template.manifest
    params = dict(manifest.params or {"type": "object"})
    if manifest.seed_inputs:
        params["properties"] = {**params.get("properties", {}), "seed": SEED_PARAM}
    return NodeType(
        id=f"{TEMPLATE_TYPE_PREFIX}{manifest.id}",
        version=manifest.version,
        title=manifest.title,
        description=manifest.description,
        category=manifest.category,
        origin=NodeOrigin.template,
        executor=Executor.pipeline,
        task_type=manifest.task_type,
        template_id=manifest.id,
        inputs=manifest.inputs,
        outputs=manifest.outputs,
        params=params,
    )


@dataclass(frozen=True)
class Catalogue:
    specs: dict[str, NodeSpec]
    pipelines: dict[str, PipelineManifest]
    problems: list[ManifestProblem]
    templates: dict[str, Template] = field(default_factory=dict)

    def spec(self, node_type: str) -> NodeSpec | None:
        return self.specs.get(node_type)

    def node_types(self) -> list[NodeType]:
        return [spec.definition for spec in self.specs.values()]


# Pipelines a service runs, not a node: training is started from the Asset Manager (tasks.assets.train_lora).
OFF_CANVAS_TASK_TYPES = frozenset({TaskType.train_lora})


def build_catalogue(
    pipelines: dict[str, PipelineManifest],
    problems: list[ManifestProblem],
    templates: dict[str, Template] | None = None,
) -> Catalogue:
    specs = dict(builtin_specs())
    usable: dict[str, PipelineManifest] = {}
    problems = list(problems)
    for pipeline_id, manifest in pipelines.items():
        try:
            spec = prepare(node_type_from_manifest(manifest))
        except SchemaError as exc:
            problems.append(
                ManifestProblem(
                    pipeline_id,
                    f"Pipeline '{pipeline_id}' has a params schema that is not a valid JSON Schema "
                    f"({exc.message}); fix 'params' in its pipeline.json.",
                )
            )
            continue
        if manifest.task_type not in OFF_CANVAS_TASK_TYPES:
            specs[spec.id] = spec
        usable[pipeline_id] = manifest
    for template in (templates or {}).values():  # checked when loaded: their params schema is valid
        spec = prepare(node_type_from_template(template))
        specs[spec.id] = spec
    return Catalogue(specs, usable, problems, dict(templates or {}))


# Catalogues kept for the (search dirs, template dirs, file contents) they were read from: a few per project.
CATALOGUES_KEPT = 64


def load_catalogue(search_dirs: list[Path], template_dirs: list[Path] | None = None) -> Catalogue:
    """Built-ins plus the pipelines and templates found now: a new or edited folder needs no restart.

    Checking a manifest costs ~10 ms (its params schema is checked against the meta-schema), paid on every
    generate and palette request until now; reading the files is a fraction of a millisecond, so their
    digest is the key and the catalogue is built again only when a manifest, template or workflow changed
    (contents, not modification times: those are as coarse as a few milliseconds). Callers share the
    result: it is read-only.
    """
    templates = tuple(template_dirs or [])
    found = _digest([(search_dirs, [MANIFEST_NAME]), (templates, [TEMPLATE_FILE, WORKFLOW_FILE])])
    return _read_catalogue(tuple(search_dirs), templates, found)


def _digest(places: list[tuple[Sequence[Path], list[str]]]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for directories, names in places:
        for directory in directories:
            for name in names:
                for path in sorted(directory.glob(f"*/{name}")):
                    try:
                        content = path.read_bytes()
                    except OSError:
                        content = b""  # unreadable or gone since the glob: reading it again reports it
                    digest.update(f"{path}\0{len(content)}\0".encode())
                    digest.update(content)
    return digest.hexdigest()


@lru_cache(maxsize=CATALOGUES_KEPT)
def _read_catalogue(search_dirs: tuple[Path, ...], template_dirs: tuple[Path, ...], _contents_digest: str) -> Catalogue:
    discovery = discover_pipelines(list(search_dirs))
    found = discover_templates(list(template_dirs))
    return build_catalogue(discovery.pipelines, discovery.problems + found.problems, found.templates)
