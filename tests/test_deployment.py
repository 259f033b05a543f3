"""deploy/docker-compose*.yml as documents (tests/deploy/test_compose.py runs them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def compose(name: str = "docker-compose.yml") -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load((DEPLOY / name).read_text())
    return document


def test_compose_names_every_service_and_builds_nothing_from_a_registry() -> None:
    services = compose()["services"]
    assert set(services) == {"redis", "postgres", "server", "worker-cpu", "worker-gpu"}
    assert {service["image"] for service in services.values()} == {
        "studio/app:local",
        "studio/redis:local",
        "studio/postgres:local",
    }
    assert all("build" not in service for service in services.values())


def test_every_container_is_hardened() -> None:
    for name, service in compose()["services"].items():
        assert service["read_only"] is True, name
        assert service["cap_drop"] == ["ALL"], name
        assert service["security_opt"] == ["no-new-privileges:true"], name


def test_the_gpu_worker_is_stateless_on_its_own_disk_and_the_gpu_file_reserves_gpus() -> None:
    services = compose()["services"]
    gpu = services["worker-gpu"]
    assert gpu["environment"]["STUDIO_WORKER_MODE"] == "stateless"
    assert gpu["volumes"] == ["worker-gpu-disk:/workspace"]
    assert services["worker-cpu"]["volumes"] == services["server"]["volumes"] == ["workspace:/workspace"]
    reservation = compose("docker-compose.gpu.yml")["services"]["worker-gpu"]["deploy"]["resources"]
    assert reservation["reservations"]["devices"] == [{"driver": "nvidia", "count": "all", "capabilities": ["gpu"]}]


def test_the_server_is_healthy_only_when_ready_and_published_on_loopback_by_default() -> None:
    server = compose()["services"]["server"]
    assert "/readyz" in " ".join(server["healthcheck"]["test"])
    assert server["ports"] == ["${STUDIO_PUBLISH:-127.0.0.1:8000}:8000"]
    assert server["environment"]["STUDIO_START_WORKER"] == "false"
