"""The contracts: JSON Schemas that every boundary of the studio is checked against."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource

if TYPE_CHECKING:
    import jsonschema_rs

    from schemas.models.media_types import MediaTypes

SCHEMA_DIR = Path(__file__).resolve().parent
MEDIA_TYPES_FILE = SCHEMA_DIR / "media-types.json"

# Schema name -> the module under schemas/models that is generated from it.
GENERATED_MODELS: dict[str, str] = {
    "project-manifest": "project_manifest",
    "canvas-graph": "canvas_graph",
    "socket-type": "socket_type",
    "pipeline-manifest": "pipeline_manifest",
    "take-sidecar": "take_sidecar",
    "graph-ops": "graph_ops",
    "ws-events": "ws_events",
    "run-request": "run_request",
    "run-result": "run_result",
    "run-progress": "run_progress",
    "socket-compatibility": "socket_compatibility",
    "node-type": "node_type",
    "graph-validation": "graph_validation",
    "quality-map": "quality_map",
    "pipeline-template": "pipeline_template",
    "media-types": "media_types",
    "model-record": "model_record",
    "asset": "asset",
    "sequence": "sequence",
}


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / f"{name}.schema.json"


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return schema


@cache
def _registry() -> Registry:
    """Every schema under its file name, so "$ref": "socket-type.schema.json" resolves offline."""
    resources = [
        (path.name, Resource.from_contents(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted(SCHEMA_DIR.glob("*.schema.json"))
    ]
    registry: Registry = Registry().with_resources(resources)
    return registry


@cache
def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    # Resolve relative refs against the file name, not the https $id, so nothing is fetched.
    return Draft202012Validator({**schema, "$id": schema_path(name).name}, registry=_registry())


def describe_errors(name: str, document: Any, limit: int = 5) -> list[str]:
    """Human-readable schema violations of `document`, each naming the JSON path at fault."""
    messages = []
    for error in sorted(validator(name).iter_errors(document), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(part) for part in error.absolute_path) or "(document root)"
        messages.append(f"{where}: {error.message}")
        if len(messages) == limit:
            break
    return messages


@cache
def definition_validator(name: str, definition: str) -> Draft202012Validator:
    """A validator for one `$defs` entry of a schema (e.g. one WebSocket event's payload)."""
    if definition not in load_schema(name).get("$defs", {}):
        raise KeyError(f"{name}.schema.json has no $defs/{definition}")
    return Draft202012Validator({"$ref": f"{schema_path(name).name}#/$defs/{definition}"}, registry=_registry())


@cache
def fast_definition_validator(name: str, definition: str) -> jsonschema_rs.Draft202012Validator:
    """definition_validator's verdict alone, from jsonschema-rs: tens of times faster on a hot path (every socket
    edit), but it cannot word the problems as the studio does; ask definition_validator for those."""
    import jsonschema_rs  # not in the pipeline images, which import this package but check no payloads

    schema_id = load_schema(name)["$id"]

    def retrieve(uri: str) -> Any:  # every $ref is a file of this folder: nothing is fetched
        return load_schema(uri.rsplit("/", 1)[-1].removesuffix(".schema.json"))

    definition_validator(name, definition)  # the same KeyError for an unknown definition
    return jsonschema_rs.Draft202012Validator({"$ref": f"{schema_id}#/$defs/{definition}"}, retriever=retrieve)


@cache
def media_types() -> MediaTypes:
    """schemas/media-types.json: the one table of media extensions that server, runner and browser read."""
    from schemas.models.media_types import MediaTypes  # the generated models import this package

    return MediaTypes.model_validate_json(MEDIA_TYPES_FILE.read_bytes())
