"""The CPU share a pipeline run gets, in both backends: its manifest's `cpus`, capped at the host's."""

from __future__ import annotations

import os

from function_runner.manifest import Pipeline


def cpu_limit(declared: float | None) -> float:
    """The manifest's CPUs, never more than this host has: the engine refuses a limit above its CPU count
    (a runner drives the engine on its own host; dockerd listening elsewhere is not supported)."""
    return min(declared or 1, os.cpu_count() or 1)


def thread_env(pipeline: Pipeline) -> dict[str, str]:
    """Math libraries use as many threads as the pipeline has CPUs: more only spin against each other
    (torch on 2 threads beside a busy worker ran a step 15x slower than on 1)."""
    return {"OMP_NUM_THREADS": str(max(1, int(cpu_limit(pipeline.manifest.resources.cpus))))}
