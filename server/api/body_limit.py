"""Refuse oversized request bodies before they are read into memory (413 with the limit named)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import PayloadTooLargeError
from server.projects.uploads import describe_size


@dataclass(frozen=True)
class BodyLimit:
    max_bytes: int
    setting: str  # the environment variable that sets it, named in the refusal


@dataclass(frozen=True)
class RouteLimit:
    """Paths that `pattern` matches in full get `limit` instead of the general one (file uploads)."""

    pattern: re.Pattern[str]
    limit: BodyLimit


class BodySizeLimit:
    """Caps API request bodies at `max_bytes`, by Content-Length and while streaming (chunked bodies).

    Paths that `exempt` matches in full (git pack data, LFS object transfers) stream large bodies and enforce
    their own limits after authenticating; paths of `route_limits` have a limit of their own.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        exempt: re.Pattern[str] | None = None,
        route_limits: tuple[RouteLimit, ...] = (),
    ) -> None:
        self.app = app
        self.general = BodyLimit(max_bytes, "STUDIO_MAX_REQUEST_MB")
        self.exempt = exempt
        self.route_limits = route_limits

    def _limit_for(self, path: str) -> BodyLimit:
        return next((r.limit for r in self.route_limits if r.pattern.fullmatch(path)), self.general)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or (self.exempt is not None and self.exempt.fullmatch(scope["path"])):
            await self.app(scope, receive, send)
            return
        limit = self._limit_for(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit.max_bytes:
            await self._refuse(send, limit)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.max_bytes:
                    # HTTPException is what FastAPI lets through from a body read; its handler answers.
                    raise HTTPException(413, self._message(limit))
            return message

        await self.app(scope, counting_receive, send)

    @staticmethod
    def _message(limit: BodyLimit) -> str:
        return (
            f"The request body is larger than the {describe_size(limit.max_bytes)} limit ({limit.setting}); "
            "send less, or raise the limit."
        )

    async def _refuse(self, send: Send, limit: BodyLimit) -> None:
        error = {"code": PayloadTooLargeError.code, "message": self._message(limit), "limit_bytes": limit.max_bytes}
        body = json.dumps({"error": error}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})
