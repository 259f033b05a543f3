"""Dispatch overhead of the no-op pipeline: cold Docker run vs warm container vs local process.

Run: .venv/bin/python benchmarks/runner_overhead.py [--runs 50]   (needs the images:
`studio pipelines build noop` and `studio pipelines build noop-warm`, or `./dev.sh test` once).
Each mode gets one untimed warm-up run (image page cache, warm instance start and model load);
the numbers are then end to end per job: request validation, job dir, launch, result check.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from function_runner.config import RunnerConfig
from function_runner.docker_backend import DockerBackend
from function_runner.execution import Backend
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from schemas.models.run_request import RunRequest

REPO = Path(__file__).resolve().parents[1]
MODES: dict[str, tuple[str, Callable[[RunnerConfig], Backend]]] = {
    "docker-cold": ("noop", DockerBackend),
    "docker-warm": ("noop-warm", DockerBackend),
    "process-cold": ("noop", ProcessBackend),
    "process-warm": ("noop-warm", ProcessBackend),
}


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure(mode: str, runs: int, scratch: Path) -> dict[str, float]:
    pipeline_id, make_backend = MODES[mode]
    config = RunnerConfig(
        pipelines_dir=REPO / "pipeline_images",
        jobs_dir=scratch / mode / "jobs",
        model_store=scratch / "models",
    )
    runner = FunctionRunner(config, make_backend(config))
    request = RunRequest(inputs={"text": "benchmark"}, params={}, seed=0)
    try:
        runner.run(pipeline_id, request)  # warm-up
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            result = runner.run(pipeline_id, request)
            timings.append((time.perf_counter() - started) * 1000)
            assert result.outputs["echo"].read_text() == "benchmark"
    finally:
        runner.close()
    return {
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "min_ms": round(min(timings), 1),
        "max_ms": round(max(timings), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated subset of " + ", ".join(MODES))
    args = parser.parse_args()
    results: dict[str, object] = {
        "runs": args.runs,
        "host": platform.node(),
        "cpus": __import__("os").cpu_count(),
    }
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "models").mkdir()
        for mode in args.modes.split(","):
            results[mode] = measure(mode, args.runs, Path(tmp))
            print(f"{mode:13s} {results[mode]}", flush=True)
    out = REPO / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "runner_overhead.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
