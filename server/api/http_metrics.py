"""Counts every HTTP request under its route template (/api/v1/projects/{project_id}, never the raw path: ids would
make a series each), and the bytes of git and LFS bodies that stream through /git/."""

from __future__ import annotations

import time

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.metrics.registry import StudioMetrics

UNMATCHED = "unmatched"  # no route claimed the path (a 404): one series for all of them


def route_template(scope: Scope) -> str:
    """The path pattern of the route that answered, as routing left it in the scope."""
    route: BaseRoute | None = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED


def git_protocol(path: str) -> str | None:
    if not path.startswith("/git/"):
        return None
    return "lfs" if "/info/lfs/" in path else "git"


class HttpMetrics:
    def __init__(self, app: ASGIApp, metrics: StudioMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        protocol = git_protocol(scope["path"])
        status = 500  # what the client gets if the app fails before it answers
        bytes_in = bytes_out = 0

        async def counting_receive() -> Message:
            nonlocal bytes_in
            message = await receive()
            bytes_in += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            nonlocal status, bytes_out
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                bytes_out += len(message.get("body", b""))
            await send(message)

        started = time.perf_counter()
        try:
            await self.app(scope, counting_receive if protocol else receive, counting_send)
        finally:
            self.metrics.http_latency.labels(scope["method"], route_template(scope), str(status)).observe(
                time.perf_counter() - started
            )
            if protocol is not None:
                self.metrics.git_bytes.labels(protocol, "in").inc(bytes_in)
                self.metrics.git_bytes.labels(protocol, "out").inc(bytes_out)
