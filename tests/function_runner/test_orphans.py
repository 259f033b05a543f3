"""A worker killed outright (SIGKILL, the OOM killer) cannot stop the pipelines it started: each ends itself, one-shot
or warm, in a process or a container, rather than hold its model's memory and GPU with no one to collect its work."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from docker.models.containers import Container

from function_runner.docker_backend import LABEL
from function_runner.sdk import RUNNER_GONE_EXIT
from tests.support.jobs import wait_until
from tests.support.runner import TEST_PIPELINES, built_images, require_docker

LEASE_S = 2.0
StartWorker = Callable[[str, str], "subprocess.Popen[bytes]"]  # (backend, pipeline) -> the worker process
REPO = Path(__file__).resolve().parents[2]

# The worker: a runner on one backend running one job that hangs, in a thread, until the test kills the process.
WORKER = f"""
import sys, threading, time
from pathlib import Path
from function_runner.docker_backend import DockerBackend
from function_runner.process_backend import ProcessBackend
from function_runner.runner import FunctionRunner
from schemas.models.run_request import RunRequest
from tests.support.runner import make_config

kind, pipelines, tmp, pipeline = sys.argv[1:]
config = make_config(Path(pipelines), Path(tmp), lease_s={LEASE_S})
backend = DockerBackend(config) if kind == "docker" else ProcessBackend(config)
request = RunRequest(inputs={{"text": "x"}}, params={{"mode": "hang"}}, seed=0)
threading.Thread(target=FunctionRunner(config, backend).run, args=(pipeline, request), daemon=True).start()
time.sleep(600)
"""


@pytest.fixture
def pipelines(tmp_path: Path) -> Path:
    """The test pipelines with a timeout far past the test: only the runner's death may end a hanging job."""
    folder = tmp_path / "pipelines"
    for name in ("contract-probe", "contract-warm"):
        shutil.copytree(TEST_PIPELINES / name, folder / name)
        manifest = json.loads((folder / name / "pipeline.json").read_text())
        (folder / name / "pipeline.json").write_text(json.dumps({**manifest, "timeout_s": 600}))
    return folder


@pytest.fixture
def start_worker(tmp_path: Path, pipelines: Path) -> Iterator[StartWorker]:
    workers: list[subprocess.Popen[bytes]] = []

    def start(kind: str, pipeline: str) -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(
            [sys.executable, "-c", WORKER, kind, str(pipelines), str(tmp_path), pipeline],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.kill()
        worker.wait()


@pytest.mark.parametrize("pipeline", ["contract-probe", "contract-warm"])
def test_a_pipeline_process_whose_worker_died_exits(start_worker: StartWorker, pipeline: str) -> None:
    worker = start_worker("process", pipeline)
    pids: list[int] = []

    def started() -> bool:
        pids[:] = _children(worker.pid)
        return bool(pids)

    wait_until(started, f"the worker starts {pipeline}'s process", timeout_s=60)
    (pid,) = pids
    time.sleep(2.5 * LEASE_S)
    assert _alive(pid), "the pipeline ended while its worker lived"
    try:
        worker.kill()
        worker.wait()
        wait_until(lambda: not _alive(pid), "the orphaned pipeline process exits", timeout_s=20)
    finally:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.docker
@pytest.mark.parametrize("pipeline", ["contract-probe", "contract-warm"])
def test_a_container_whose_worker_died_exits(start_worker: StartWorker, tmp_path: Path, pipeline: str) -> None:
    built_images(TEST_PIPELINES)
    client = require_docker()
    worker = start_worker("docker", pipeline)
    found: list[Container] = []

    def running() -> bool:
        found[:] = [
            container
            for container in client.containers.list(filters={"label": f"{LABEL}={pipeline}"})
            if any(mount["Source"].startswith(str(tmp_path)) for mount in container.attrs["Mounts"])
        ]
        return bool(found)

    wait_until(running, f"the worker starts {pipeline}'s container", timeout_s=60)
    (container,) = found
    try:
        time.sleep(2.5 * LEASE_S)  # its lease is renewed while the worker lives
        container.reload()
        assert container.status == "running", container.logs().decode()
        worker.kill()
        worker.wait()

        def exited() -> bool:
            container.reload()
            return container.status == "exited"

        wait_until(exited, "the orphaned container exits", timeout_s=20)
        # The SDK's own exit (its lease ran out), not a kill or the job's end.
        assert container.attrs["State"]["ExitCode"] == RUNNER_GONE_EXIT
    finally:
        container.remove(force=True)


def _children(pid: int) -> list[int]:
    """The pipeline processes (their main.py) that `pid` started."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes().split(b"\0")
        except (FileNotFoundError, IndexError):
            continue
        if int(fields[1]) == pid and fields[0] != "Z" and b"main.py" in command:
            children.append(int(stat.parent.name))
    return children


def _alive(pid: int) -> bool:
    """Running, not a zombie that no one has reaped yet."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except FileNotFoundError:
        return False
