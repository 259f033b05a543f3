"""Per-request cost of the HTTP metrics middleware: the same app with and without it, in the same run.

Run: .venv/bin/python -m benchmarks.metrics_overhead [--requests 3000]
Requests go straight into the ASGI app (no socket, no HTTP client), so what differs between the two apps is the
middleware alone. Three measures: the middleware around an endpoint that does nothing (its cost alone), GET /healthz
(the cheapest route) and an authenticated GET /api/v1/projects/{project_id} (a database read). Batches of 100
alternate between the two sides so drift (other load on the machine) hits both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.types import Message

from server.api.http_metrics import HttpMetrics
from server.app import create_app
from server.config import Settings
from tests.support.factories import create_project, make_user

BATCH = 100


def build(workspace: Path, with_metrics: bool) -> FastAPI:
    settings = Settings(_env_file=None, workspace=workspace, secret_key="b" * 48)  # type: ignore[call-arg]
    app = create_app(settings)
    if not with_metrics:
        app.user_middleware = [m for m in app.user_middleware if m.cls is not HttpMetrics]
    return app


async def call(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> int:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    status = 0

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


Target = tuple[Any, str, list[tuple[bytes, bytes]]]  # an ASGI app, the path, the headers


async def measure(targets: dict[str, Target], requests: int) -> dict[str, Any]:
    timings: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(requests // BATCH):
        for name, (app, path, headers) in targets.items():
            for _ in range(BATCH):
                started = time.perf_counter()
                assert await call(app, path, headers) == 200
                timings[name].append((time.perf_counter() - started) * 1e6)
    results: dict[str, Any] = {
        name: {
            "p50_us": round(statistics.median(t), 1),
            "p95_us": round(statistics.quantiles(t, n=20)[-1], 1),
            "mean_us": round(statistics.fmean(t), 1),
        }
        for name, t in timings.items()
    }
    results["overhead_p50_us"] = round(results["with_metrics"]["p50_us"] - results["without_metrics"]["p50_us"], 1)
    return results


async def bare_endpoint(scope: Any, receive: Any, send: Any) -> None:
    """The least an app can do: what the middleware adds to it is all that differs."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    args = parser.parse_args()
    results: dict[str, Any] = {"requests_per_app": args.requests, "host": platform.node(), "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        apps = {"with_metrics": build(Path(tmp) / "a", True), "without_metrics": build(Path(tmp) / "b", False)}
        projects: dict[str, Target] = {}
        for name, app in apps.items():
            with TestClient(app) as client:  # runs the lifespan once, makes a user and a project
                user = make_user(client, app.state.engine, "bench")
                project = create_project(client, user)
            # Each app reads its own project: same route, same work.
            auth = [(b"authorization", user.headers["Authorization"].encode())]
            projects[name] = (app, f"/api/v1/projects/{project['id']}", auth)
        middleware = HttpMetrics(bare_endpoint, apps["with_metrics"].state.metrics)
        results["middleware alone"] = asyncio.run(
            measure(
                {"with_metrics": (middleware, "/x", []), "without_metrics": (bare_endpoint, "/x", [])}, args.requests
            )
        )
        results["GET /healthz"] = asyncio.run(
            measure({name: (app, "/healthz", []) for name, app in apps.items()}, args.requests)
        )
        results["GET /api/v1/projects/{project_id}"] = asyncio.run(measure(projects, args.requests))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
