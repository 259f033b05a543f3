"""EventSink implementations: inside the server process, and from any other process via Redis."""

from __future__ import annotations

import asyncio

import socketio

from server.events import ServerEvent, event_name, wire_payload

STUDIO_ROOM = "studio"  # administrators' sockets: the events of tasks that belong to no project


def project_room(project_id: str) -> str:
    return f"project:{project_id}"


def room_of(project_id: str | None) -> str:
    return STUDIO_ROOM if project_id is None else project_room(project_id)


class SocketServerSink:
    """Publishes through the server's own Socket.IO server; callable from the event loop or any thread."""

    def __init__(self, sio: socketio.AsyncServer) -> None:
        self.sio = sio
        self.loop: asyncio.AbstractEventLoop | None = None  # bound when the app starts

    def publish(self, project_id: str | None, event: ServerEvent) -> None:
        if self.loop is None:
            return  # the app is not serving (e.g. a CLI command): nobody can be listening
        coroutine = self.sio.emit(event_name(event), wire_payload(event), room=room_of(project_id))
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self.loop:
            self.loop.create_task(coroutine)
        else:
            asyncio.run_coroutine_threadsafe(coroutine, self.loop)


class RedisSink:
    """For Celery workers and other processes: a write-only client of the servers' Redis message queue."""

    def __init__(self, redis_url: str) -> None:
        self._manager = socketio.RedisManager(redis_url, write_only=True)

    def publish(self, project_id: str | None, event: ServerEvent) -> None:
        self._manager.emit(event_name(event), wire_payload(event), room=room_of(project_id), namespace="/")
