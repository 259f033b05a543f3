"""Generation chain benchmark: API accept → pipeline start, and the chain's overhead around a pipeline run.

Run: .venv/bin/python -m benchmarks.generation [--runs 30] [--backend process|docker]
Starts its own studio (embedded Redis), one Celery worker, and generates a storyboard card repeatedly.
Overhead = (task finished - API request sent) - the pipeline's own run time (from the take's sidecar).
Goal (issue 7): < 250 ms p95 overhead with a warm container.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from benchmarks.realtime import percentile
from tests.server.generation.conftest import QUALITY_MAP, TEST_PIPELINES, Chain, shot_graph
from tests.support.factories import PASSWORD
from tests.support.live_server import LiveServer

SECRET = "benchmark-secret-key-0123456789-abcdefghijklmnop"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", choices=["process", "docker"], default="process")
    args = parser.parse_args()
    from server.auth.users import create_user
    from server.db.engine import create_db_engine, session_scope
    from server.db.migrate import upgrade_database
    from server.system.embedded_redis import EmbeddedRedis

    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        (workspace / "Library").mkdir(parents=True)
        (workspace / "Library" / "quality_map.json").write_text(json.dumps(QUALITY_MAP))
        engine = create_db_engine(f"sqlite:///{workspace / '.studio' / 'studio.db'}")
        upgrade_database(engine)
        with session_scope(engine) as session:
            create_user(session, "bench", PASSWORD)
        engine.dispose()
        with EmbeddedRedis(Path(tmp) / "redis") as redis_server:
            root = Path(__file__).resolve().parents[1]
            env = {
                "STUDIO_PIPELINE_DIRS": json.dumps([str(TEST_PIPELINES), str(root / "pipeline_images")]),
                "STUDIO_RUNNER_BACKEND": args.backend,
            }
            server = LiveServer(workspace, redis_url=redis_server.url, secret=SECRET, **env).start()
            chain = Chain(server, redis_server.url, server.env, server.token("bench", PASSWORD))
            try:
                chain.start_worker()
                project_id = chain.project(shot_graph("cpu-storyboard"), quality="low")
                accept, start, overhead, total = [], [], [], []
                for run in range(args.runs + 1):
                    sent = time.time()
                    task = chain.generate(project_id)
                    accepted = time.time()
                    done = chain.wait_for(task["task_id"], timeout=120)
                    repo = next((workspace / "Projects").iterdir())
                    sidecar = json.loads((repo / done["take_path"].replace(".png", ".json")).read_text())
                    finished = datetime.fromisoformat(done["finished_at"]).timestamp()
                    started = datetime.fromisoformat(sidecar["timings"]["started_at"]).timestamp()
                    if run == 0:
                        continue  # the first run warms the worker
                    accept.append(accepted - sent)
                    start.append(started - sent)
                    total.append(finished - sent)
                    overhead.append(finished - sent - sidecar["timings"]["run_seconds"])
                print(f"| {args.backend} backend, {args.runs} runs | p50 | p95 |")
                print("|---|---|---|")
                for label, samples in (
                    ("API request → 202 accepted", accept),
                    ("API request → pipeline started on the worker", start),
                    ("API request → task succeeded (take committed)", total),
                    ("chain overhead (total - pipeline run time)", overhead),
                ):
                    print(
                        f"| {label} | {statistics.median(samples) * 1000:.0f} ms | "
                        f"{percentile(samples, 95) * 1000:.0f} ms |"
                    )
            finally:
                for worker in chain.workers:
                    worker.terminate()
                    worker.wait(timeout=30)
                server.stop()


if __name__ == "__main__":
    main()
