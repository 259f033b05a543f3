"""Server → client events: their names, and the one sink services publish through (realtime implements it)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol


class ServerEvent(StrEnum):
    FULL_SYNC = "server:full_sync"
    GRAPH_PATCH = "server:graph_patch"
    CONFLICT = "server:conflict"
    ERROR = "server:error"
    NODE_STATE_UPDATED = "server:node_state_updated"
    TASK_PROGRESS = "server:task_progress"
    TASK_SUCCESS = "server:task_success"
    TASK_FAILED = "server:task_failed"
    TAKES_UPDATED = "server:takes_updated"
    NOTIFICATION = "server:notification"


class EventSink(Protocol):
    """Delivers an event to every client that has the project open (in any server process)."""

    def publish(self, project_id: str, event: ServerEvent, payload: dict[str, Any]) -> None: ...
