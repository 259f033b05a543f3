"""Runs `git http-backend` (CGI) for one request, streaming the request body in and the response out."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import ClientDisconnect, Request
from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from server.projects.git import config_env, empty_global_config

log = logging.getLogger(__name__)

CHUNK_BYTES = 64 * 1024
MAX_HEADER_BYTES = 64 * 1024


@dataclass(frozen=True)
class BackendCall:
    projects_dir: Path
    slug: str
    endpoint: str  # "info/refs", "git-upload-pack" or "git-receive-pack"
    remote_user: str
    config: Mapping[str, str]  # git configuration for this run (GIT_CONFIG_COUNT), e.g. receive.fsckObjects
    extra_env: Mapping[str, str]


def _cgi_env(request: Request, call: BackendCall) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": empty_global_config(),
        "GIT_PROJECT_ROOT": str(call.projects_dir),
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": f"/{call.slug}/{call.endpoint}",
        "REQUEST_METHOD": request.method,
        "QUERY_STRING": request.url.query,
        "CONTENT_TYPE": request.headers.get("content-type", ""),
        "REMOTE_USER": call.remote_user,
        "REMOTE_ADDR": request.client.host if request.client else "",
        **config_env(call.config),
        **call.extra_env,
    }
    # Without CONTENT_LENGTH (chunked uploads) http-backend reads the body to EOF.
    for header, variable in (
        ("content-length", "CONTENT_LENGTH"),
        ("content-encoding", "HTTP_CONTENT_ENCODING"),
        ("git-protocol", "GIT_PROTOCOL"),
    ):
        if header in request.headers:
            env[variable] = request.headers[header]
    return env


class BackendResponse(StreamingResponse):
    """Streams the backend's output while the request body is still being read.

    Starlette's StreamingResponse (ASGI < 2.4) also listens for a disconnect by calling `receive()`,
    which takes request-body messages away from the reader feeding git: a large push then loses
    chunks and hangs. Here only the feeder reads; a gone client shows up as a failing `send`."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        async for chunk in self.body_iterator:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _feed(request: Request, stdin: asyncio.StreamWriter) -> None:
    try:
        async for chunk in request.stream():
            if stdin.is_closing():
                break
            stdin.write(chunk)
            await stdin.drain()
    except (ConnectionError, RuntimeError, ClientDisconnect):
        # The backend stopped reading (it had all it needed, or refused the request; its answer says
        # which), or the client left: the backend sees EOF and exits. uvloop reports a closed pipe as
        # RuntimeError, the default loop as BrokenPipeError.
        pass
    finally:
        stdin.close()


def _parse_headers(raw: bytes) -> tuple[int, list[tuple[str, str]]]:
    status, headers = 200, []
    for line in raw.decode("latin-1").splitlines():
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        elif name:
            headers.append((name.strip(), value.strip()))
    return status, headers


async def serve(
    request: Request, call: BackendCall, on_finish: Callable[[bool], Awaitable[None]] | None = None
) -> StreamingResponse:
    """The backend's response, streamed. `on_finish(succeeded)` runs once the backend has exited,
    before the response ends, so a push's follow-up (import, lock release) is done when git sees 'ok'."""
    process = await asyncio.create_subprocess_exec(
        "git",
        "http-backend",
        env=_cgi_env(request, call),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        limit=MAX_HEADER_BYTES,
    )
    assert process.stdin and process.stdout and process.stderr
    feeder = asyncio.create_task(_feed(request, process.stdin))
    errors = asyncio.create_task(process.stderr.read())
    try:
        raw = await process.stdout.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        raw = exc.partial
    except BaseException:
        process.kill()
        await process.wait()
        if on_finish:
            await on_finish(False)
        raise
    status, headers = _parse_headers(raw)

    async def body() -> AsyncIterator[bytes]:
        finished = False
        try:
            assert process.stdout
            # The newest chunk is held back until on_finish is done: it carries git's final flush, and a
            # client that has seen it may act at once (e.g. read the version a push created).
            held = b""
            while chunk := await process.stdout.read(CHUNK_BYTES):
                if held:
                    yield held
                held = chunk
            await feeder
            succeeded = await process.wait() == 0
            stderr = (await errors).decode(errors="replace").strip()
            if stderr:
                log.info("git http-backend %s/%s: %s", call.slug, call.endpoint, stderr[-2000:])
            finished = True
            if on_finish:
                await on_finish(succeeded)
            if held:
                yield held
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
            feeder.cancel()
            errors.cancel()
            if on_finish and not finished:
                await on_finish(False)

    response = BackendResponse(body(), status_code=status)
    for name, value in headers:
        response.headers.append(name, value)
    return response
