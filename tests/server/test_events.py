"""Server events are the generated models of schemas/ws-events, each sent under its schema name; the recording sink
that every job test publishes through refuses a malformed one."""

from __future__ import annotations

import typing

import pytest

from schemas.models.ws_events import NodeState, Result, ServerNodeStateUpdated, ServerTaskProgress, ServerTaskSuccess
from server.events import EVENT_NAMES, ServerEvent, event_name, wire_payload
from tests.support.recording_sink import MalformedEventError, RecordingSink


def test_every_server_event_model_has_its_schema_name() -> None:
    assert set(typing.get_args(ServerEvent)) == set(EVENT_NAMES)
    assert event_name(ServerNodeStateUpdated(node_id="n1", state=NodeState.queued)) == "server:node_state_updated"


def test_a_payload_holds_what_was_given_and_no_nulls_nobody_set() -> None:
    success = ServerTaskSuccess(task_id="t", node_id="n1", result=Result(output_url="/api/v1/projects/p/files/x.mp4"))
    assert wire_payload(success) == {
        "task_id": "t",
        "node_id": "n1",
        "result": {"output_url": "/api/v1/projects/p/files/x.mp4"},
    }


def test_the_recording_sink_records_a_good_event_and_catches_a_malformed_one() -> None:
    sink = RecordingSink()
    sink.publish("p", ServerTaskProgress(task_id="t", node_id="n1", progress=40.0, step="denoise"))
    assert sink.published == [
        ("p", "server:task_progress", {"task_id": "t", "node_id": "n1", "progress": 40.0, "step": "denoise"})
    ]
    # Built without validation, as a buggy publisher could: progress out of range, a node id with a space.
    broken = ServerTaskProgress.model_construct(task_id="t", node_id="not an id", progress=250.0)
    with pytest.raises(MalformedEventError) as caught:
        sink.publish("p", broken)
    assert "server:task_progress/node_id" in str(caught.value) and "server:task_progress/progress" in str(caught.value)
    # A null where the schema wants an object (what a job once sent for a render's missing take).
    nulled = ServerTaskSuccess(task_id="t", node_id="n1", result=Result(output_url="/x", take=None))
    with pytest.raises(MalformedEventError, match="result/take: None is not of type 'object'"):
        sink.publish("p", nulled)
    assert len(sink.published) == 1
