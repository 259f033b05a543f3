"""GPU detection and the VRAM-tier queues a worker serves."""

from __future__ import annotations

from pathlib import Path

import pytest

from function_runner.errors import ComfyUIUnavailableError
from server.dispatch.capabilities import Capabilities, Gpu, detect_capabilities, parse_gpu_override, probe_gpus
from server.errors import InvalidInputError
from tests.support.comfyui.server import ComfyUIStandIn


@pytest.mark.parametrize(
    ("vram", "queues"),
    [
        ([], ["cpu", "host@host"]),
        ([8.0], ["cpu", "host@host"]),
        ([11.6], ["gpu.12", "cpu", "host@host"]),
        ([16.0], ["gpu.16", "gpu.12", "cpu", "host@host"]),
        ([23.6], ["gpu.24", "gpu.16", "gpu.12", "cpu", "host@host"]),
        ([12.0, 80.0], ["gpu.24", "gpu.16", "gpu.12", "cpu", "host@host"]),
    ],
)
def test_a_worker_serves_every_tier_its_largest_gpu_reaches_and_its_host(vram: list[float], queues: list[str]) -> None:
    gpus = [Gpu(i, f"gpu{i}", v, v) for i, v in enumerate(vram)]
    assert Capabilities("host", gpus, 8).queues == queues


def test_override_parses_names_and_vram() -> None:
    assert parse_gpu_override(
        '[{"name": "RTX 4090", "vram_gb": 24}, {"name": "T4", "vram_gb": 16, "free_vram_gb": 3}]'
    ) == [Gpu(0, "RTX 4090", 24.0, 24.0), Gpu(1, "T4", 16.0, 3.0)]
    assert parse_gpu_override("none") == []


@pytest.mark.parametrize("raw", ['[{"name": "x"}]', "24", "not json"])
def test_bad_override_names_the_setting_and_the_form(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="STUDIO_WORKER_GPUS"):
        parse_gpu_override(raw)


@pytest.mark.skipif(probe_gpus() != [], reason="this machine has an NVIDIA GPU; the no-GPU path is checked on CI")
def test_nvml_finds_no_gpu_on_a_machine_without_a_driver() -> None:
    capabilities = detect_capabilities(None)
    assert capabilities.gpus == []
    assert capabilities.queues == ["cpu", f"host@{capabilities.host}"]


def test_a_comfyui_worker_serves_its_own_queue_and_the_shared_one(tmp_path: Path) -> None:
    server = ComfyUIStandIn(tmp_path / "comfyui").start()
    try:
        capabilities = detect_capabilities("none", comfyui_url=server.url)
    finally:
        server.stop()
    assert capabilities.comfyui_node_classes is not None and "KSampler" in capabilities.comfyui_node_classes
    here = f"host@{capabilities.host}"
    assert capabilities.queues == ["cpu", here, f"comfyui@{capabilities.host}", "comfyui"]
    assert detect_capabilities("none").queues == ["cpu", here]  # no STUDIO_COMFYUI_URL: no templates


def test_a_comfyui_that_does_not_answer_stops_the_worker_with_a_sentence() -> None:
    with pytest.raises(ComfyUIUnavailableError, match=r"ComfyUI at http://127\.0\.0\.1:9 "):
        detect_capabilities("none", comfyui_url="http://127.0.0.1:9")
