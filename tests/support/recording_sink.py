"""An EventSink that records what services publish (tests only; realtime provides the real sink)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from server.events import ServerEvent


@dataclass
class RecordingSink:
    published: list[tuple[str, ServerEvent, dict[str, Any]]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, project_id: str, event: ServerEvent, payload: dict[str, Any]) -> None:
        with self._lock:
            self.published.append((project_id, event, payload))
