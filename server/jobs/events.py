"""The events that follow one task on its node, typed: queued, generating, progress, done or failed, idle. A studio
task (no project, no node) sends the same events without a node to the administrators' studio room."""

from __future__ import annotations

from dataclasses import dataclass

from schemas.models.run_progress import ProgressMetrics
from schemas.models.ws_events import (
    Level,
    NodeState,
    Result,
    ServerNodeStateUpdated,
    ServerNotification,
    ServerTaskFailed,
    ServerTaskProgress,
    ServerTaskSuccess,
)
from server.events import EventSink, ServerEvent


@dataclass(frozen=True)
class TaskEvents:
    sink: EventSink
    project_id: str | None  # None: the studio room
    node_id: str | None
    task_id: str

    def publish(self, event: ServerEvent) -> None:
        self.sink.publish(self.project_id, event)

    def node_state(self, state: NodeState) -> None:
        if self.node_id is None:
            return  # no node shows it
        self.publish(ServerNodeStateUpdated(node_id=self.node_id, state=state, task_id=self.task_id))

    def progress(self, percent: float, step: str, metrics: ProgressMetrics | None = None) -> None:
        event = ServerTaskProgress(task_id=self.task_id, **self._on_node(), progress=round(percent, 1), step=step)
        if metrics is not None:
            event.metrics = metrics  # absent, never null
        self.publish(event)

    def notify(self, level: Level, code: str, message: str) -> None:
        self.publish(
            ServerNotification(level=level, code=code, message=message, **self._on_node(), task_id=self.task_id)
        )

    def succeeded(self, result: Result) -> None:
        self.publish(ServerTaskSuccess(task_id=self.task_id, **self._on_node(), result=result))
        self.node_state(NodeState.done)

    def failed(self, message: str) -> None:
        self.publish(ServerTaskFailed(task_id=self.task_id, **self._on_node(), error=message))
        self.node_state(NodeState.failed)

    def _on_node(self) -> dict[str, str]:
        """The node field of an event: absent (never null) for a studio task."""
        return {} if self.node_id is None else {"node_id": self.node_id}
