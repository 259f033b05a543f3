"""The explicit configuration a FunctionRunner is built with (the server maps its Settings onto it)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = "65534:65534"


def default_pipeline_user() -> str:
    """Pipelines never run as root: as nobody when the runner is root (it hands them their job folders), else as
    the runner's own user, which cannot hand files to another."""
    return NOBODY if os.geteuid() == 0 else f"{os.getuid()}:{os.getgid()}"


@dataclass(frozen=True)
class RunnerConfig:
    """Where pipelines, jobs and weights live, and the limits every launch gets."""

    pipelines_dir: Path
    jobs_dir: Path
    model_store: Path
    docker_url: str | None = None  # None: DOCKER_HOST or the default socket
    user: str = field(default_factory=default_pipeline_user)
    pids_limit: int = 256
    tmpfs_size_mb: int = 256
    # How long a warm container may sit without a job before it is stopped.
    warm_idle_s: float = 300.0
    stderr_tail_lines: int = 20
    # Interpreter for the process backend; pipelines there see only the SDK and this environment.
    python: str = field(default=sys.executable)
    # Docker's default stop grace is 10 s; a killed job has nothing worth saving.
    kill_grace_s: float = 0.0
