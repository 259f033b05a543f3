"""The client event enum, the server event models and schemas/ws-events.schema.json name exactly the same events."""

from __future__ import annotations

import pytest

from schemas import definition_validator, fast_definition_validator, load_schema
from server.errors import InvalidInputError
from server.events import EVENT_NAMES
from server.projects.graph_ops import ops_json
from server.realtime.payloads import ClientEvent, definition_of, to_ops, validated


def test_every_event_has_a_payload_schema_and_no_more() -> None:
    names = set(load_schema("ws-events")["properties"])
    assert {e.value for e in ClientEvent} == {n for n in names if n.startswith("client:")}
    assert set(EVENT_NAMES.values()) == {n for n in names if n.startswith("server:")}


def test_a_single_move_and_a_batch_become_the_same_op() -> None:
    single = validated(ClientEvent.UPDATE_NODE_POSITION, {"version": 3, "node_id": "a", "position": {"x": 1, "y": 2}})
    batch = validated(
        ClientEvent.UPDATE_NODE_POSITION, {"version": 3, "moves": [{"node_id": "a", "position": {"x": 1, "y": 2}}]}
    )
    assert to_ops(ClientEvent.UPDATE_NODE_POSITION, single) == to_ops(ClientEvent.UPDATE_NODE_POSITION, batch)


def test_select_take_is_a_data_edit_of_the_active_take() -> None:
    payload = validated(ClientEvent.SELECT_TAKE, {"version": 2, "node_id": "s", "take": "03_Renders/a.png"})
    assert ops_json(to_ops(ClientEvent.SELECT_TAKE, payload)) == [
        {"op": "update_node_data", "node_id": "s", "data": {"active_take": "03_Renders/a.png"}}
    ]


def test_invalid_payload_names_the_schema_definition() -> None:
    with pytest.raises(InvalidInputError, match=r"\$defs/ClientRemoveNodes"):
        validated(ClientEvent.REMOVE_NODES, {"version": 1, "node_ids": []})


def test_apply_ops_stands_for_its_ops_in_order() -> None:
    ops = [
        {"op": "add_node", "node": {"id": "g", "type": "SceneGroupNode", "position": {"x": 0, "y": 0}, "data": {}}},
        {"op": "move_nodes", "moves": [{"node_id": "a", "position": {"x": 1, "y": 2}, "parentId": "g"}]},
        {"op": "move_nodes", "moves": [{"node_id": "b", "position": {"x": 3, "y": 4}, "parentId": None}]},
    ]
    payload = validated(ClientEvent.APPLY_OPS, {"version": 4, "ops": ops})
    assert ops_json(to_ops(ClientEvent.APPLY_OPS, payload)) == ops


@pytest.mark.parametrize(
    ("ops", "phrase"),
    [
        ([], "ops: [] should be non-empty"),
        ([{"op": "remove_edges", "edge_ids": ["e"]}] * 1001, "ops: the value is too long (maxItems: 1000)"),
        ([{"op": "teleport"}], "ops/0: {'op': 'teleport'} is not valid under any of the given schemas"),
        (
            [{"op": "move_nodes", "moves": [{"node_id": "a", "position": {"x": 0, "y": 0}, "parentId": ""}]}],
            "ops/0",
        ),
        (
            [{"op": "move_nodes", "moves": [{"node_id": "g", "position": {"x": 0, "y": 0}, "width": -5}]}],
            "ops/0",
        ),
    ],
)
def test_apply_ops_payloads_outside_the_schema_are_refused(ops: list[dict[str, object]], phrase: str) -> None:
    with pytest.raises(InvalidInputError, match=r"\$defs/ClientApplyOps") as refused:
        validated(ClientEvent.APPLY_OPS, {"version": 1, "ops": ops})
    assert phrase in refused.value.message


AGREEMENT_CASES = [
    (ClientEvent.UPDATE_NODE_POSITION, {"version": 3, "node_id": "a", "position": {"x": 1, "y": 2.5}}, True),
    (ClientEvent.UPDATE_NODE_POSITION, {"version": True, "node_id": "a", "position": {"x": 1, "y": 2}}, False),
    (ClientEvent.UPDATE_NODE_POSITION, {"version": 3, "node_id": "a", "position": {"x": "1", "y": 2}}, False),
    (ClientEvent.UPDATE_NODE_POSITION, {"version": 3, "node_id": "a"}, False),
    (
        ClientEvent.ADD_NODE,
        {"version": 1, "node": {"id": "n", "type": "ShotNode", "position": {"x": 0, "y": 0}}},
        False,
    ),
    (
        ClientEvent.ADD_NODE,
        {"version": 1, "node": {"id": "n", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}}},
        True,
    ),
    (ClientEvent.REMOVE_NODES, {"version": 1, "node_ids": []}, False),
    (ClientEvent.REMOVE_NODES, {"version": 1, "node_ids": ["a"], "extra": 1}, False),
    (ClientEvent.SYNC_REQUEST, {}, True),
    (ClientEvent.APPLY_OPS, {"version": 4, "ops": [{"op": "teleport"}]}, False),
    (ClientEvent.APPLY_OPS, {"version": 4, "ops": [{"op": "remove_edges", "edge_ids": ["e"]}]}, True),
    (ClientEvent.SELECT_TAKE, ["not", "an", "object"], False),
]


@pytest.mark.parametrize(("event", "payload", "valid"), AGREEMENT_CASES)
def test_the_fast_check_of_a_payload_agrees_with_the_worded_one(
    event: ClientEvent, payload: object, valid: bool
) -> None:
    definition = definition_of(event)
    assert fast_definition_validator("ws-events", definition).is_valid(payload) is valid
    assert definition_validator("ws-events", definition).is_valid(payload) is valid
    if not valid:
        with pytest.raises(InvalidInputError, match=rf"\$defs/{definition}"):
            validated(event, payload)
