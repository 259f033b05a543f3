"""Parsing ComfyUI's websocket frames: JSON events, preview frames with and without metadata, and garbage."""

from __future__ import annotations

import json
import struct

from function_runner.comfyui.messages import Event, parse_binary, parse_text


def test_json_events_carry_their_prompt_and_node() -> None:
    message = parse_text(
        json.dumps({"type": "executing", "data": {"node": "3", "display_node": "3", "prompt_id": "p"}})
    )
    assert (message.event, message.prompt_id, message.node) == (Event.EXECUTING, "p", "3")
    error = parse_text(json.dumps({"type": "execution_error", "data": {"prompt_id": "p", "node_id": "8"}}))
    assert (error.event, error.node) == (Event.EXECUTION_ERROR, "8")
    finished = parse_text(json.dumps({"type": "executing", "data": {"node": None, "prompt_id": "p"}}))
    assert finished.node is None


def test_messages_this_client_does_not_use_and_garbage_are_ignored_not_fatal() -> None:
    assert parse_text(json.dumps({"type": "progress_state", "data": {"prompt_id": "p"}})).event is None
    assert parse_text("{not json").event is None
    assert parse_text(json.dumps(["status"])).event is None
    assert parse_text(json.dumps({"type": "status", "data": "busy"})).data == {}


def test_preview_frames_of_both_kinds() -> None:
    jpeg = b"\xff\xd8\xff\xe0fake"
    plain = parse_binary(struct.pack(">I", 1) + struct.pack(">I", 1) + jpeg)
    assert plain is not None and (plain.media_type, plain.image, plain.node) == ("image/jpeg", jpeg, None)
    metadata = json.dumps({"node_id": "3", "prompt_id": "p", "image_type": "image/png"}).encode()
    framed = parse_binary(struct.pack(">I", 4) + struct.pack(">I", len(metadata)) + metadata + b"\x89PNG")
    assert framed is not None and (framed.media_type, framed.image, framed.node) == ("image/png", b"\x89PNG", "3")
    assert parse_binary(struct.pack(">I", 3) + struct.pack(">I", 1) + b"3" + b"text") is None  # progress text
    assert parse_binary(b"\x00\x00") is None
    assert parse_binary(struct.pack(">I", 4) + struct.pack(">I", 99) + b"{") is None
