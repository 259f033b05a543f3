"""No unbounded body before auth: the JSON routes under /git/ answer an anonymous client before reading
its body, and read at most STUDIO_GIT_JSON_MAX_BYTES from a signed-in one.

Spoken to the ASGI app directly, so the test counts exactly how much of the body the server asked for.
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI

from server.gitserve.client_env import basic_authorization
from server.gitserve.lfs_batch import LFS_MEDIA_TYPE
from tests.support.factories import PASSWORD, TestUser

CHUNK = 64 * 1024
ENDLESS = 256 * 1024 * 1024  # what a hostile client would send, given the chance
CAP = 1024 * 1024  # STUDIO_GIT_JSON_MAX_BYTES' default


@dataclass
class Exchange:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    body_read: int = 0


def _send_stream(app: FastAPI, path: str, headers: dict[str, str], total: int) -> Exchange:
    """POST `total` bytes of a JSON-looking body in chunks, without Content-Length (chunked)."""
    exchange = Exchange()
    opening = b'{"operation": "download", "objects": [' + b" " * CHUNK

    async def receive() -> dict[str, Any]:
        if exchange.body_read >= total:
            return {"type": "http.request", "body": b"", "more_body": False}
        chunk = opening if exchange.body_read == 0 else b" " * CHUNK
        exchange.body_read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": exchange.body_read < total}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    # A thread of its own: a test before this one (Playwright's sync API) may leave a loop running here.
    with ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, app(scope, receive, send)).result()
    return exchange


@pytest.mark.parametrize("route", ["info/lfs/objects/batch", "info/lfs/verify"])
def test_an_anonymous_body_is_never_read(app: FastAPI, project: dict[str, Any], route: str) -> None:
    path = f"/git/{project['slug']}.git/{route}"
    answer = _send_stream(app, path, {"Content-Type": LFS_MEDIA_TYPE}, ENDLESS)

    assert answer.status == 401
    assert answer.headers["www-authenticate"].startswith("Basic")
    assert answer.body_read <= CAP


def test_a_signed_in_body_is_read_up_to_the_cap(app: FastAPI, project: dict[str, Any], alice: TestUser) -> None:
    path = f"/git/{project['slug']}.git/info/lfs/objects/batch"
    headers = {"Content-Type": LFS_MEDIA_TYPE, "Authorization": basic_authorization(alice.username, PASSWORD)}
    answer = _send_stream(app, path, headers, ENDLESS)

    assert answer.status == 413
    assert "STUDIO_GIT_JSON_MAX_BYTES" in json.loads(answer.body)["error"]["message"]
    assert answer.body_read <= CAP + CHUNK + 64  # the chunk that crossed the cap, and no more
