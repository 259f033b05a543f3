"""A Socket.IO test client of one project's channel that records what the server sends."""

from __future__ import annotations

import queue
import time
from typing import Any

import socketio

SERVER_EVENTS = (
    "server:graph_patch",
    "server:graph_patches",
    "server:full_sync",
    "server:conflict",
    "server:error",
    "server:notification",
    "server:node_state_updated",
    "server:task_progress",
    "server:task_success",
    "server:task_failed",
    "server:takes_updated",
    "server:renders_updated",
)


class ProjectSocket:
    def __init__(self, url: str, token: str, project_id: str, *, reconnection: bool = False) -> None:
        self.received: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.client = socketio.Client(reconnection=reconnection, reconnection_delay=0.2, reconnection_delay_max=1)
        for name in SERVER_EVENTS:
            self.client.on(name, self._recorder(name))
        self.url = url
        self.auth = {"token": token, "project_id": project_id}

    def _recorder(self, name: str) -> Any:
        def record(payload: Any) -> None:
            self.received.put((name, payload))

        return record

    def connect(self) -> ProjectSocket:
        self.client.connect(
            self.url, auth=self.auth, socketio_path="/ws/socket.io", transports=["websocket"], wait_timeout=10
        )
        return self

    def call(self, event: str, payload: Any = None) -> Any:
        if payload is None:
            return self.client.call(event, timeout=10)
        return self.client.call(event, payload, timeout=10)

    def expect(self, name: str, timeout: float = 10) -> Any:
        """The next event called `name` (others received meanwhile are kept in order in `skipped`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                got, payload = self.received.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if got == name:
                return payload
        raise AssertionError(f"no {name} within {timeout} s")

    def collect_until(self, name: str, timeout: float = 60) -> list[tuple[str, Any]]:
        """Every event received, in order, up to and including the first one called `name`."""
        events: list[tuple[str, Any]] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.received.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            events.append(event)
            if event[0] == name:
                return events
        raise AssertionError(f"no {name} within {timeout} s; got {[e for e, _ in events]}")

    def drain(self) -> list[tuple[str, Any]]:
        items = []
        while not self.received.empty():
            items.append(self.received.get_nowait())
        return items

    def close(self) -> None:
        self.client.disconnect()
