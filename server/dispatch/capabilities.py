"""A worker's hardware: GPUs from NVML (nvidia-ml-py), or a configured override, the node classes of the ComfyUI
it runs templates on, and the queues it serves."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass, field

from function_runner.comfyui.client import ComfyUIClient
from server.errors import InvalidInputError

# VRAM tiers, largest first: a worker serves every tier its largest GPU reaches (PRD §7.2).
VRAM_TIERS_GB = (24, 16, 12)
CPU_QUEUE = "cpu"
# Templates: every ComfyUI worker takes the shared queue (a task waiting for node classes no worker has yet);
# a task placed on a worker that has them goes to that host's own queue.
COMFYUI_QUEUE = "comfyui"
# NVML reports a "24 GB" card as slightly less; a tier is reached within this margin.
TIER_MARGIN_GB = 0.75


GPU_QUEUE_PREFIX = "gpu."


def gpu_queue(tier_gb: int) -> str:
    return f"{GPU_QUEUE_PREFIX}{tier_gb}"


def is_gpu_queue(queue: str) -> bool:
    return queue.startswith(GPU_QUEUE_PREFIX)


def comfyui_queue(host: str) -> str:
    return f"{COMFYUI_QUEUE}@{host}"


def host_queue(host: str) -> str:
    """Every worker of one host takes it: for work that needs that host's disk (a pull into its model store)."""
    return f"host@{host}"


def vram_fits(needed_gb: float, available_gb: float) -> bool:
    """The one VRAM-fit rule: does a GPU of `available_gb` hold a need of `needed_gb`? (within TIER_MARGIN_GB)"""
    return needed_gb <= available_gb + TIER_MARGIN_GB


@dataclass(frozen=True)
class Gpu:
    index: int
    name: str
    total_vram_gb: float
    free_vram_gb: float


@dataclass(frozen=True)
class Capabilities:
    host: str
    gpus: list[Gpu]
    cpus: int
    labels: list[str] = field(default_factory=list)
    # The node classes of this worker's ComfyUI (GET /object_info); None when it runs no templates.
    comfyui_node_classes: frozenset[str] | None = None

    @property
    def max_vram_gb(self) -> float:
        return max((g.total_vram_gb for g in self.gpus), default=0.0)

    @property
    def gpu_label(self) -> str | None:
        """The GPU its GPU tasks run on, as the tasks panel shows it: the largest (its tier decides the queues)."""
        if not self.gpus:
            return None
        gpu = max(self.gpus, key=lambda g: g.total_vram_gb)
        return f"{gpu.name} #{gpu.index}"

    @property
    def queues(self) -> list[str]:
        tiers = [gpu_queue(t) for t in VRAM_TIERS_GB if vram_fits(t, self.max_vram_gb)]
        comfyui = [comfyui_queue(self.host), COMFYUI_QUEUE] if self.comfyui_node_classes is not None else []
        return [*tiers, CPU_QUEUE, host_queue(self.host), *comfyui]


def parse_gpu_override(raw: str) -> list[Gpu]:
    """STUDIO_WORKER_GPUS: 'none', or a JSON list like [{"name": "RTX 4090", "vram_gb": 24}]."""
    if raw.strip().lower() == "none":
        return []
    try:
        entries = json.loads(raw)
        return [
            Gpu(i, str(e["name"]), float(e["vram_gb"]), float(e.get("free_vram_gb", e["vram_gb"])))
            for i, e in enumerate(entries)
        ]
    except (ValueError, TypeError, KeyError) as exc:
        raise InvalidInputError(
            f"STUDIO_WORKER_GPUS={raw[:80]!r} is not understood; use 'none' or a JSON list such as "
            '[{"name": "RTX 4090", "vram_gb": 24}].',
            field="worker_gpus",
        ) from exc


def probe_gpus() -> list[Gpu]:
    """The NVIDIA GPUs NVML sees; none where there is no driver (a laptop, CI)."""
    import pynvml

    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError:
        return []
    try:
        gpus = []
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            memory = pynvml.nvmlDeviceGetMemoryInfo(handle)
            name = pynvml.nvmlDeviceGetName(handle)
            gpus.append(
                Gpu(index, name if isinstance(name, str) else name.decode(), memory.total / 2**30, memory.free / 2**30)
            )
        return gpus
    finally:
        pynvml.nvmlShutdown()


def probe_comfyui(url: str) -> frozenset[str]:
    """The node classes the ComfyUI at `url` has; a ComfyUI that does not answer stops the worker with a sentence."""
    return ComfyUIClient(url).node_classes()


def detect_capabilities(
    gpu_override: str | None, labels: list[str] | None = None, comfyui_url: str | None = None
) -> Capabilities:
    gpus = parse_gpu_override(gpu_override) if gpu_override else probe_gpus()
    comfyui = probe_comfyui(comfyui_url) if comfyui_url else None
    return Capabilities(socket.gethostname(), gpus, os.cpu_count() or 1, labels or [], comfyui)
