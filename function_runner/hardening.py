"""The isolation every pipeline container gets, and the check that a created container has it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docker.types import DeviceRequest

from function_runner.config import RunnerConfig
from function_runner.errors import HardeningError, InputError
from function_runner.manifest import Pipeline
from function_runner.resources import cpu_limit, thread_env
from function_runner.weights import shown

IO_MOUNT = "/io"
JOBS_MOUNT = "/jobs"
MODELS_MOUNT = "/models"
DOCKER_SOCKET = "docker.sock"
# The only paths a pipeline may write to (besides tmpfs /tmp): its job dir, or the warm jobs root.
WRITABLE_MOUNTS = frozenset({IO_MOUNT, JOBS_MOUNT})


def weight_mounts(pipeline: Pipeline, config: RunnerConfig) -> dict[str, dict[str, str]]:
    """Each declared weight, read-only at /models/<path>; a missing one is an error, never a download
    (the runner has checked them with weights.require_weights; an optional one that is absent is skipped)."""
    volumes: dict[str, dict[str, str]] = {}
    for weight in pipeline.manifest.weights or []:
        source = (config.model_store / weight.path).resolve()
        if weight.optional and not source.exists():
            continue
        if not source.is_relative_to(config.model_store.resolve()) or not source.exists():
            raise InputError(
                f"Pipeline '{pipeline.id}': weight '{weight.name}' is not in the model store "
                f"(expected {shown(weight)}). Put the file there; weights are never "
                "baked into images.",
                pipeline_id=pipeline.id,
            )
        volumes[str(source)] = {"bind": f"{MODELS_MOUNT}/{weight.path}", "mode": "ro"}
    return volumes


def container_options(pipeline: Pipeline, config: RunnerConfig, gpu: str | None) -> dict[str, Any]:
    """Keyword arguments for `containers.create` that every launch uses."""
    resources = pipeline.manifest.resources
    memory = f"{resources.memory_mb or 1024}m"
    options: dict[str, Any] = {
        "network_mode": "none",
        "read_only": True,
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,size={config.tmpfs_size_mb}m"},
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges"],
        "user": config.user,
        "pids_limit": config.pids_limit,
        "mem_limit": memory,
        "memswap_limit": memory,  # no swap: a model that does not fit fails instead of crawling
        "nano_cpus": int(cpu_limit(resources.cpus) * 1e9),
        "privileged": False,
        "ipc_mode": "private",
        "environment": {
            "HOME": "/tmp",
            "TMPDIR": "/tmp",
            "LANG": "C.UTF-8",
            "PYTHONUNBUFFERED": "1",
            **thread_env(pipeline),
        },
    }
    if pipeline.gpu and (gpu is not None or not config.cpu_fallback):
        options["device_requests"] = [gpu_request(pipeline, gpu)]
    return options


def gpu_request(pipeline: Pipeline, gpu: str | None) -> DeviceRequest:
    """The device request for the one GPU this run was assigned (never "all")."""
    if gpu is None:
        raise InputError(
            f"Pipeline '{pipeline.id}' needs a GPU (resources.gpu is true) but none was assigned. "
            "Send it to a GPU worker, which passes the GPU index or UUID (or allow its slow CPU fallback: "
            "RunnerConfig.cpu_fallback).",
            pipeline_id=pipeline.id,
        )
    return DeviceRequest(driver="nvidia", device_ids=[gpu], capabilities=[["gpu"]])


def verify_hardened(attrs: dict[str, Any], config: RunnerConfig, pipeline_id: str) -> None:
    """Raise unless the inspected container has every isolation setting; run before each start."""
    host = attrs.get("HostConfig") or {}
    problems: list[str] = []
    if host.get("NetworkMode") != "none":
        problems.append(f"network is {host.get('NetworkMode')!r}, not 'none'")
    if not host.get("ReadonlyRootfs"):
        problems.append("root filesystem is writable")
    if "/tmp" not in (host.get("Tmpfs") or {}):
        problems.append("no tmpfs at /tmp")
    if "ALL" not in (host.get("CapDrop") or []) or host.get("CapAdd"):
        problems.append("capabilities are not all dropped")
    if "no-new-privileges" not in (host.get("SecurityOpt") or []):
        problems.append("no-new-privileges is not set")
    if host.get("Privileged"):
        problems.append("container is privileged")
    if (attrs.get("Config") or {}).get("User") != config.user:
        problems.append(f"user is {(attrs.get('Config') or {}).get('User')!r}, not {config.user}")
    if not (host.get("PidsLimit") or 0) > 0:
        problems.append("no pids limit")
    if not (host.get("Memory") or 0) > 0:
        problems.append("no memory limit")
    if not (host.get("NanoCpus") or 0) > 0:
        problems.append("no CPU limit")
    for mount in attrs.get("Mounts") or []:
        source, destination = str(mount.get("Source", "")), str(mount.get("Destination", ""))
        if Path(source).name == DOCKER_SOCKET or destination.endswith(DOCKER_SOCKET):
            problems.append(f"the Docker socket is mounted at {destination}")
        if mount.get("RW") and destination not in WRITABLE_MOUNTS:
            problems.append(f"{destination} is mounted writable")
    if problems:
        raise HardeningError(
            f"Pipeline '{pipeline_id}': refusing to start a container that is not hardened: "
            + "; ".join(problems)
            + ". This is a runner bug; report it.",
            pipeline_id=pipeline_id,
        )
