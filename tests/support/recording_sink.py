"""An EventSink for tests: every event is checked against schemas/ws-events.schema.json exactly as it would go out
on the wire, then recorded; a malformed one fails the test where it was published."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from schemas import describe_errors
from server.events import ServerEvent, event_name, wire_payload


class MalformedEventError(AssertionError):
    """An event that breaks schemas/ws-events.schema.json: a bug in whoever published it."""


@dataclass
class RecordingSink:
    published: list[tuple[str | None, str, dict[str, Any]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, project_id: str | None, event: ServerEvent) -> None:
        name, payload = event_name(event), wire_payload(event)
        # The whole ws-events document: its top level maps each event name to its payload's definition.
        problems = describe_errors("ws-events", {name: payload})
        if problems:
            raise MalformedEventError(f"{name} breaks schemas/ws-events.schema.json: {'; '.join(problems)}")
        with self._lock:
            self.published.append((project_id, name, payload))

    def named(self, name: str) -> list[dict[str, Any]]:
        """The payloads of every `name` event so far, in order."""
        with self._lock:
            return [payload for _, published, payload in self.published if published == name]
