"""Generation chain benchmark: API accept → pipeline start, and the chain's overhead around a pipeline run.

Run: .venv/bin/python -m benchmarks.generation [--runs 30] [--backend process|docker] [--pipeline t2i-sd1.5]
Starts its own studio (embedded Redis), one Celery worker, and generates a shot repeatedly: a storyboard
card, or with --pipeline t2i-sd1.5 a tiny random-weight SD 1.5 (real diffusers code, model store in the
workspace) on a worker announcing a 12 GB GPU. Overhead = (task finished - API request sent) - the
pipeline's own run time (from the take's sidecar). Goal (issues 7, 16): < 250 ms p95 overhead.
With --pipeline t2i-sd1.5 it then measures the model's load: a cold job (worker start, imports,
from_pretrained, run) against a warm one (the model stays loaded), on both runner backends.
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
from function_runner.docker_backend import DockerBackend, engine_socket_answers
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from schemas.models.run_request import RunRequest
from tests.server.generation.conftest import QUALITY_MAP, TEST_PIPELINES, Chain, shot_graph
from tests.support.factories import PASSWORD
from tests.support.live_server import LiveServer
from tests.support.runner import PIPELINE_IMAGES, make_config
from tests.support.stack_models import STACKS_CACHE, build_tiny

SECRET = "benchmark-secret-key-0123456789-abcdefghijklmnop"
TWELVE_GB = json.dumps([{"name": "RTX 3060", "vram_gb": 12}])
SD15_MAP = {"schema_version": 1, "task_types": {"generate-image": {"low": "t2i-sd1.5", "cpu": "cpu-storyboard"}}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", choices=["process", "docker"], default="process")
    parser.add_argument("--pipeline", choices=["cpu-storyboard", "t2i-sd1.5"], default="cpu-storyboard")
    args = parser.parse_args()
    if args.pipeline == "t2i-sd1.5" and args.backend == "docker":
        # Workers hand a GPU pipeline no device here (no GPU): Docker refuses it; the load section covers Docker.
        parser.error("--pipeline t2i-sd1.5 runs the chain on the process backend on a machine without a GPU")
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
                "STUDIO_STACKS_DIR": str(STACKS_CACHE),  # the stack virtualenv built once, not per run
            }
            server = LiveServer(workspace, redis_url=redis_server.url, secret=SECRET, **env).start()
            chain = Chain(server, redis_server.url, server.env, server.token("bench", PASSWORD))
            try:
                if args.pipeline == "t2i-sd1.5":
                    build_tiny("stable-diffusion-v1-5", workspace / "Models")
                    (workspace / "Library" / "quality_map.json").write_text(json.dumps(SD15_MAP))
                    chain.start_worker(gpus=TWELVE_GB)
                    graph = shot_graph(prompt="a lighthouse", width=64, height=64, steps=2)
                else:
                    chain.start_worker()
                    graph = shot_graph("cpu-storyboard")
                project_id = chain.project(graph, quality="low")
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
                print(f"| {args.pipeline}, {args.backend} backend, {args.runs} runs | p50 | p95 |")
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
        if args.pipeline == "t2i-sd1.5":
            print_model_load(workspace / "Models", Path(tmp), args.runs)


def print_model_load(store: Path, scratch: Path, runs: int) -> None:
    """Cold job (a new warm worker: start, imports, from_pretrained, run) vs warm jobs, per backend."""
    request = RunRequest(inputs={"prompt": "a lighthouse"}, params={"width": 64, "height": 64, "steps": 2}, seed=0)
    print("\n| t2i-sd1.5 (tiny), model load | cold job | warm job p50 | warm job p95 | load ≈ cold - warm p50 |")
    print("|---|---|---|---|---|")
    for name in ("process", "docker"):
        config = make_config(PIPELINE_IMAGES, scratch / name, model_store=store, cpu_fallback=True)
        if name == "docker" and not engine_socket_answers(None):
            continue
        backend = DockerBackend(config) if name == "docker" else ProcessBackend(config)
        runner = FunctionRunner(config, backend)
        try:
            started = time.perf_counter()
            runner.run("t2i-sd1.5", request)
            cold = time.perf_counter() - started
            warm = []
            for _ in range(runs):
                started = time.perf_counter()
                runner.run("t2i-sd1.5", request)
                warm.append(time.perf_counter() - started)
        finally:
            runner.close()
        p50 = statistics.median(warm)
        print(
            f"| {name} | {cold * 1000:.0f} ms | {p50 * 1000:.0f} ms | {percentile(warm, 95) * 1000:.0f} ms "
            f"| {(cold - p50) * 1000:.0f} ms |"
        )


if __name__ == "__main__":
    main()
