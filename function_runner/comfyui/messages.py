"""ComfyUI's websocket messages as typed events: JSON frames {"type", "data"} and binary frames (a 4-byte big-endian
event type; for previews a 4-byte image type, then the image, or a length-prefixed JSON metadata block first)."""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any


class Event(StrEnum):
    STATUS = "status"
    EXECUTION_START = "execution_start"
    EXECUTION_CACHED = "execution_cached"
    EXECUTING = "executing"
    PROGRESS = "progress"
    EXECUTED = "executed"
    EXECUTION_SUCCESS = "execution_success"
    EXECUTION_ERROR = "execution_error"
    EXECUTION_INTERRUPTED = "execution_interrupted"


class BinaryEvent(IntEnum):
    PREVIEW_IMAGE = 1
    UNENCODED_PREVIEW_IMAGE = 2  # sent by ComfyUI as PREVIEW_IMAGE once encoded; listed for completeness
    TEXT = 3
    PREVIEW_IMAGE_WITH_METADATA = 4


PREVIEW_FORMATS = {1: "image/jpeg", 2: "image/png"}


@dataclass(frozen=True)
class Message:
    """One websocket message: its event, the prompt it is about (None for status and previews), its data."""

    event: Event | None  # None: a message this client does not use (progress_state, feature_flags, custom nodes')
    prompt_id: str | None
    data: dict[str, Any] = field(default_factory=dict)
    raw_type: str = ""

    @property
    def node(self) -> str | None:
        node = self.data.get("node", self.data.get("node_id"))
        return node if isinstance(node, str) else None


@dataclass(frozen=True)
class Preview:
    """A binary preview frame of the running sampler."""

    media_type: str
    image: bytes
    node: str | None = None


def parse_text(frame: str) -> Message:
    """A JSON frame; anything malformed is a message nobody uses rather than a crash of the run."""
    try:
        document = json.loads(frame)
    except json.JSONDecodeError:
        return Message(None, None, raw_type="malformed")
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        return Message(None, None, raw_type="malformed")
    data: dict[str, Any] = document["data"] if isinstance(document.get("data"), dict) else {}
    raw_type = document["type"]
    event = Event(raw_type) if raw_type in Event._value2member_map_ else None
    prompt_id = data.get("prompt_id")
    return Message(event, prompt_id if isinstance(prompt_id, str) else None, data, raw_type)


def parse_binary(frame: bytes) -> Preview | None:
    """A preview frame (with or without its metadata block); None for other binary events (progress text)."""
    if len(frame) < 8:
        return None
    (kind,) = struct.unpack(">I", frame[:4])
    if kind == BinaryEvent.PREVIEW_IMAGE:
        (image_type,) = struct.unpack(">I", frame[4:8])
        return Preview(PREVIEW_FORMATS.get(image_type, "application/octet-stream"), frame[8:])
    if kind == BinaryEvent.PREVIEW_IMAGE_WITH_METADATA:
        (length,) = struct.unpack(">I", frame[4:8])
        try:
            metadata = json.loads(frame[8 : 8 + length])
        except (json.JSONDecodeError, UnicodeDecodeError):
            return None
        if not isinstance(metadata, dict):
            return None
        node = metadata.get("node_id")
        media_type = str(metadata.get("image_type", "application/octet-stream"))
        return Preview(media_type, frame[8 + length :], node if isinstance(node, str) else None)
    return None
