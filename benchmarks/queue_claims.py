"""Queue-control benchmark: what the studio's own order costs a worker's message and the tasks panel.

Run: .venv/bin/python -m benchmarks.queue_claims [--queued 2000] [--projects 20] [--claims 200]
On a SQLite database (the embedded default) with `--queued` tasks spread over `--projects` projects (a quarter of
them paused), it times `claim_next` (one message picks and claims the first due task; p50/p95 in ms) and a page
of 100 tasks of one project through the REST API (GET /api/v1/projects/{id}/tasks, in-process).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, col

from benchmarks.realtime import percentile
from server.app import create_app
from server.db.tables import Project, Task
from server.jobs import rows
from tests.conftest import make_settings
from tests.support.factories import create_project, make_user

SPEC = {
    "kind": "tasks.shots.generate",
    "placement": {"pipeline_id": "cpu-storyboard", "quality_requested": "low", "quality_used": "low",
                  "queue": "cpu", "vram_gb": 0.0},
    "steps": [],
    "slots": {},
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queued", type=int, default=2000)
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--claims", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, TestClient(create_app(make_settings(Path(tmp) / "ws"))) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        user = make_user(client, engine, "bench")
        projects = [create_project(client, user, f"Film {n}")["id"] for n in range(args.projects)]
        with Session(engine) as session:
            for n in range(args.queued):
                session.add(Task(id=f"t{n}", project_id=projects[n % len(projects)], node_id="shot",
                                 kind="tasks.shots.generate", queue="cpu", spec=SPEC, position=n))  # fmt: skip
            paused = projects[: len(projects) // 4]
            session.execute(update(Project).where(col(Project.id).in_(paused)).values(queue_paused_by="bench"))
            session.commit()
        claims = []
        for n in range(args.claims):
            start = time.perf_counter()
            assert rows.claim_next(engine, f"m{n}", "cpu", rows.Seat(worker="bench")) is not None
            claims.append((time.perf_counter() - start) * 1000)
        pages = []
        for _ in range(50):
            start = time.perf_counter()
            response = client.get(f"/api/v1/projects/{projects[-1]}/tasks", headers=user.headers)
            pages.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200 and len(response.json()) == 100
    print(f"{args.queued} queued tasks, {args.projects} projects ({len(paused)} paused), SQLite")
    print(f"claim_next: p50 {percentile(claims, 50):.2f} ms, p95 {percentile(claims, 95):.2f} ms ({args.claims})")
    print(f"GET …/tasks (100 of {args.queued // args.projects}): p50 {percentile(pages, 50):.1f} ms, "
          f"p95 {percentile(pages, 95):.1f} ms (50)")  # fmt: skip


if __name__ == "__main__":
    main()
