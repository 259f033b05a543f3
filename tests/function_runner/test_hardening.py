"""Launch options: what every container gets, the GPU request, and the pre-start check."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from function_runner.config import RunnerConfig
from function_runner.errors import HardeningError, InputError
from function_runner.hardening import container_options, gpu_request, verify_hardened, weight_mounts
from function_runner.manifest import Pipeline, load_pipeline
from function_runner.resources import cpu_limit
from tests.support.runner import TEST_PIPELINES


def gpu_pipeline(tmp_path: Path, **extra: Any) -> Pipeline:
    manifest = json.loads((TEST_PIPELINES / "contract-probe" / "pipeline.json").read_text())
    manifest.update(id="gpu-demo", resources={"gpu": True, "cpus": 1.5, "memory_mb": 8192}, **extra)
    folder = tmp_path / "gpu-demo"
    folder.mkdir()
    (folder / "pipeline.json").write_text(json.dumps(manifest))
    return load_pipeline(folder)


def test_options_isolate_the_container(tmp_path: Path, config: RunnerConfig) -> None:
    options = container_options(gpu_pipeline(tmp_path), config, gpu="1")
    assert options["network_mode"] == "none"
    assert options["read_only"] is True
    assert set(options["tmpfs"]) == {"/tmp"}
    assert options["cap_drop"] == ["ALL"]
    assert options["security_opt"] == ["no-new-privileges"]
    assert options["user"] == "65534:65534"
    assert options["pids_limit"] == 256
    assert options["mem_limit"] == options["memswap_limit"] == "8192m"
    assert options["nano_cpus"] == 1_500_000_000


def test_a_gpu_pipeline_requests_exactly_its_assigned_gpu(tmp_path: Path, config: RunnerConfig) -> None:
    request = container_options(gpu_pipeline(tmp_path), config, gpu="GPU-3f2a")["device_requests"][0]
    assert request["Driver"] == "nvidia"
    assert request["DeviceIDs"] == ["GPU-3f2a"]
    assert request["Capabilities"] == [["gpu"]]
    assert request["Count"] == 0  # not "all"


def test_a_gpu_pipeline_without_an_assigned_gpu_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"needs a GPU .* none was assigned"):
        gpu_request(gpu_pipeline(tmp_path), None)


def test_a_gpu_pipeline_runs_on_the_cpu_without_a_device_only_when_the_fallback_is_allowed(
    tmp_path: Path, config: RunnerConfig
) -> None:
    fallback, pipeline = replace(config, cpu_fallback=True), gpu_pipeline(tmp_path)
    assert "device_requests" not in container_options(pipeline, fallback, gpu=None)
    assert container_options(pipeline, fallback, gpu="0")["device_requests"][0]["DeviceIDs"] == ["0"]
    with pytest.raises(InputError, match=r"none was assigned"):
        container_options(pipeline, config, gpu=None)


def test_weights_are_mounted_read_only_and_must_exist(tmp_path: Path, config: RunnerConfig) -> None:
    pipeline = gpu_pipeline(tmp_path, weights=[{"name": "unet", "path": "sd15/unet.safetensors"}])
    missing = r"weight .unet. is not in the model store \(expected <model store>/sd15/unet.safetensors\)\. .*"
    with pytest.raises(InputError, match=missing):
        weight_mounts(pipeline, config)
    (config.model_store / "sd15").mkdir()
    (config.model_store / "sd15" / "unet.safetensors").write_bytes(b"w")
    mounts = weight_mounts(pipeline, config)
    assert list(mounts.values()) == [{"bind": "/models/sd15/unet.safetensors", "mode": "ro"}]


def hardened_attrs() -> dict[str, Any]:
    return {
        "Config": {"User": "65534:65534"},
        "HostConfig": {
            "NetworkMode": "none",
            "ReadonlyRootfs": True,
            "Tmpfs": {"/tmp": ""},
            "CapDrop": ["ALL"],
            "SecurityOpt": ["no-new-privileges"],
            "PidsLimit": 256,
            "Memory": 1 << 27,
            "NanoCpus": 10**9,
        },
        "Mounts": [{"Source": "/jobs/x", "Destination": "/io", "RW": True}],
    }


def test_the_pre_start_check_accepts_a_hardened_container(config: RunnerConfig) -> None:
    verify_hardened(hardened_attrs(), config, "demo")


@pytest.mark.parametrize(
    ("path", "value", "fragment"),
    [
        (("HostConfig", "NetworkMode"), "bridge", "network is 'bridge'"),
        (("HostConfig", "ReadonlyRootfs"), False, "root filesystem is writable"),
        (("HostConfig", "CapDrop"), [], "capabilities are not all dropped"),
        (("HostConfig", "SecurityOpt"), [], "no-new-privileges is not set"),
        (("HostConfig", "PidsLimit"), 0, "no pids limit"),
        (("HostConfig", "Memory"), 0, "no memory limit"),
        (("Config", "User"), "root", "user is 'root'"),
        (
            ("Mounts",),
            [{"Source": "/var/run/docker.sock", "Destination": "/var/run/docker.sock", "RW": True}],
            "Docker socket is mounted",
        ),
        (
            ("Mounts",),
            [{"Source": "/models", "Destination": "/models", "RW": True}],
            "/models is mounted writable",
        ),
    ],
)
def test_the_pre_start_check_refuses_each_gap(
    config: RunnerConfig, path: tuple[str, ...], value: object, fragment: str
) -> None:
    attrs = hardened_attrs()
    target: dict[str, Any] = attrs
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(HardeningError, match=fragment):
        verify_hardened(attrs, config, "demo")


def test_the_cpu_limit_is_the_manifests_but_never_more_than_the_host_has() -> None:
    assert cpu_limit(None) == 1
    assert cpu_limit(0.5) == 0.5
    assert cpu_limit(10_000) == os.cpu_count()  # a 4-CPU model on a 2-CPU laptop still starts


def test_math_libraries_get_as_many_threads_as_the_pipeline_has_cpus(tmp_path: Path, config: RunnerConfig) -> None:
    options = container_options(gpu_pipeline(tmp_path), config, gpu="0")  # cpus 1.5
    assert options["environment"]["OMP_NUM_THREADS"] == "1"
