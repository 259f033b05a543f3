"""docker-compose.yml describes the multi-machine deployment (it cannot pull images here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return document


def test_compose_names_every_service() -> None:
    assert set(compose()["services"]) == {"redis", "postgres", "server", "worker-cpu", "worker-gpu"}


def test_gpu_workers_reserve_gpus_and_serve_the_vram_queues() -> None:
    gpu = compose()["services"]["worker-gpu"]
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]
    assert "gpu.24,gpu.16,gpu.12,cpu" in gpu["command"]


def test_studio_services_share_one_configuration_and_build_from_the_repo() -> None:
    services = compose()["services"]
    for name in ("server", "worker-cpu", "worker-gpu"):
        env = services[name]["environment"]
        assert env["STUDIO_REDIS_URL"] == "redis://redis:6379/0", name
        assert env["STUDIO_DATABASE_URL"].startswith("postgresql+psycopg://"), name
        assert services[name]["build"]["dockerfile"] == "deploy/studio.Dockerfile", name
        assert (ROOT / services[name]["build"]["dockerfile"]).is_file()
    assert services["server"]["environment"]["STUDIO_START_WORKER"] == "false"
