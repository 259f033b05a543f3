"""The explicit configuration a FunctionRunner is built with (the server maps its Settings onto it)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from function_runner.stacks import TorchVariant

NOBODY = "65534:65534"
# The shipped image recipes: base/ (the offline base image) and stacks/ (library stacks).
SHIPPED_IMAGES = Path(__file__).resolve().parents[1] / "pipeline_images"


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
    # How long a cancelled warm job may take to reach its next step check before its worker is killed
    # (one denoising step of a large model at full size; a stopped job keeps the model loaded).
    warm_cancel_grace_s: float = 30.0
    # A container ends itself once its runner has not renewed its lease for this long (docker_backend.Lease): a
    # worker killed outright (SIGKILL, the OOM killer) cannot stop it, and it would hold its model's GPU forever.
    lease_s: float = 30.0
    stderr_tail_lines: int = 20
    # Interpreter for the process backend; pipelines there see only the SDK and this environment.
    python: str = field(default=sys.executable)
    # Docker's default stop grace is 10 s; a killed job has nothing worth saving.
    kill_grace_s: float = 0.0
    # A GPU pipeline launched with no GPU assigned runs on the CPU (its code falls back, slowly) instead
    # of being refused: tests, and CPU-only hosts that accept minutes per image.
    cpu_fallback: bool = False
    images_dir: Path = SHIPPED_IMAGES
    # Wheelhouses and process-backend virtualenvs of the stacks; None: <jobs_dir>/../stacks.
    stacks_cache: Path | None = None
    torch_variant: TorchVariant = "cpu"
    # The SFW gate of pipelines whose manifest says gated: ["sfw"]: refuse what the classifier rates over this
    # probability of being not safe for work. None: the studio switched the gate off (never a node's choice).
    sfw_threshold: float | None = 0.5

    @property
    def stack_recipes(self) -> Path:
        return self.images_dir / "stacks"

    @property
    def stack_cache(self) -> Path:
        return self.stacks_cache or self.jobs_dir.parent / "stacks"
