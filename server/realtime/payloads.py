"""Client event names and validation of their payloads against schemas/ws-events."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any, cast

from jsonschema.exceptions import ValidationError

from schemas import definition_validator, fast_definition_validator, load_schema
from schemas.models.graph_ops import GraphOp
from server.errors import InvalidInputError
from server.projects.graph_ops import graph_ops

SCHEMA = "ws-events"
MAX_PROBLEM_LENGTH = 300


class ClientEvent(StrEnum):
    UPDATE_NODE_DATA = "client:update_node_data"
    UPDATE_NODE_POSITION = "client:update_node_position"
    ADD_NODE = "client:add_node"
    REMOVE_NODES = "client:remove_nodes"
    ADD_EDGE = "client:add_edge"
    REMOVE_EDGES = "client:remove_edges"
    APPLY_OPS = "client:apply_ops"
    SYNC_REQUEST = "client:sync_request"
    SAVE = "client:save"
    START_GENERATION = "client:start_generation"
    SELECT_TAKE = "client:select_take"
    RENDER_FINAL_SEQUENCE = "client:render_final_sequence"


def validated(event: ClientEvent, payload: Any) -> dict[str, Any]:
    """The payload if it matches the event's schema; otherwise InvalidInputError naming the first problem."""
    definition = definition_of(event)
    try:
        if fast_definition_validator(SCHEMA, definition).is_valid(payload):
            return cast(dict[str, Any], payload)
    except ValueError:
        pass  # a value no JSON document holds: the detailed check below words it
    errors = sorted(definition_validator(SCHEMA, definition).iter_errors(payload), key=lambda e: e.path)
    if errors:
        error = errors[0]
        where = "/".join(str(p) for p in error.absolute_path) or "payload"
        raise InvalidInputError(
            f"{event.value}: {where}: {_described(error)}. See schemas/ws-events.schema.json $defs/{definition}.",
            field=where,
        )
    assert isinstance(payload, dict)
    return payload


@cache
def definition_of(event: ClientEvent) -> str:
    """The name of the event's payload definition in the schema's $defs."""
    return str(load_schema(SCHEMA)["properties"][event.value]["$ref"].removeprefix("#/$defs/"))


def _described(error: ValidationError) -> str:
    if len(error.message) <= MAX_PROBLEM_LENGTH:
        return error.message
    # jsonschema opens its message with the whole offending value; a large one would push out what is wrong.
    text = error.message.replace(repr(error.instance), "the value", 1)
    if isinstance(error.validator_value, int | str) and not isinstance(error.validator_value, bool):
        text += f" ({error.validator}: {error.validator_value})"
    return text[:MAX_PROBLEM_LENGTH]


def to_ops(event: ClientEvent, payload: dict[str, Any]) -> list[GraphOp]:
    """The graph operations a client edit event (already validated) stands for."""
    return graph_ops(_raw_ops(event, payload))


def _raw_ops(event: ClientEvent, payload: dict[str, Any]) -> list[dict[str, Any]]:
    if event is ClientEvent.ADD_NODE:
        return [{"op": "add_node", "node": payload["node"]}]
    if event is ClientEvent.REMOVE_NODES:
        return [{"op": "remove_nodes", "node_ids": payload["node_ids"]}]
    if event is ClientEvent.UPDATE_NODE_DATA:
        return [{"op": "update_node_data", "node_id": payload["node_id"], "data": payload["data"]}]
    if event is ClientEvent.UPDATE_NODE_POSITION:
        moves = payload.get("moves") or [{"node_id": payload["node_id"], "position": payload["position"]}]
        return [{"op": "move_nodes", "moves": moves}]
    if event is ClientEvent.ADD_EDGE:
        return [{"op": "add_edge", "edge": payload["edge"]}]
    if event is ClientEvent.REMOVE_EDGES:
        return [{"op": "remove_edges", "edge_ids": payload["edge_ids"]}]
    if event is ClientEvent.APPLY_OPS:
        ops: list[dict[str, Any]] = payload["ops"]
        return ops
    if event is ClientEvent.SELECT_TAKE:
        return [{"op": "update_node_data", "node_id": payload["node_id"], "data": {"active_take": payload["take"]}}]
    raise ValueError(f"{event.value} is not a graph edit")


GRAPH_EDITS = frozenset(
    {
        ClientEvent.ADD_NODE,
        ClientEvent.REMOVE_NODES,
        ClientEvent.UPDATE_NODE_DATA,
        ClientEvent.UPDATE_NODE_POSITION,
        ClientEvent.ADD_EDGE,
        ClientEvent.REMOVE_EDGES,
        ClientEvent.APPLY_OPS,
        ClientEvent.SELECT_TAKE,
    }
)
