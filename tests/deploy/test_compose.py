"""deploy/docker-compose.yml run for real: Debian's docker-compose 1.29 on the local engine, the images built here.

One deployment for the module (starting it is the expensive part): PostgreSQL, Redis, the server, a CPU worker
on the shared workspace volume and a stateless worker announcing a 24 GB GPU on its own filesystem. The test
pipelines (tests/server/generation/pipelines: a slow one, a GPU stand-in) are mounted into the studio's
containers by an override file; the visibility timeout is short so a dead worker's task is redelivered soon.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.server.generation.conftest import shot_graph
from tests.support.postgres import free_port
from tests.support.runner import require_docker

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "deploy" / "docker-compose.yml"
TEST_PIPELINES = ROOT / "tests" / "server" / "generation" / "pipelines"
IN_CONTAINER = "/opt/studio/test-pipelines"
STUDIO_SERVICES = ("server", "worker-cpu", "worker-gpu")
ADMIN_PASSWORD = "compose-admin-password"


@dataclass
class Deployment:
    command: list[str]
    url: str
    token: str
    admin_password: str

    def compose(self, *args: str, input_text: str | None = None) -> str:
        done = subprocess.run(
            [*self.command, *args], input=input_text, capture_output=True, text=True, check=False, timeout=300
        )
        assert done.returncode == 0, f"docker-compose {' '.join(args)} failed: {done.stderr[-2000:]}"
        return done.stdout

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def project(self, graph: dict[str, Any], **settings: str) -> dict[str, Any]:
        created = httpx.post(
            f"{self.url}/api/v1/projects",
            json={"name": f"Film {time.monotonic_ns()}", **settings},
            headers=self.headers,
        )
        assert created.status_code == 201, created.text
        project: dict[str, Any] = created.json()
        saved = httpx.put(
            f"{self.url}/api/v1/projects/{project['id']}", json={"version": 1, "graph": graph}, headers=self.headers
        )
        assert saved.status_code == 200, saved.text
        return project

    def generate(self, project_id: str) -> str:
        response = httpx.post(
            f"{self.url}/api/v1/tasks/generate_shot",
            json={"project_id": project_id, "node_id": "shot"},
            headers=self.headers,
        )
        assert response.status_code == 202, response.text
        task_id: str = response.json()["task_id"]
        return task_id

    def task(self, task_id: str) -> dict[str, Any]:
        task: dict[str, Any] = httpx.get(f"{self.url}/api/v1/tasks/{task_id}", headers=self.headers).json()
        return task

    def wait_for(self, task_id: str, states: tuple[str, ...] = ("succeeded", "failed"), timeout: float = 180) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            task = self.task(task_id)
            if task["state"] in states:
                return task
            time.sleep(0.3)
        raise AssertionError(f"task {task_id} is still {self.task(task_id)['state']} after {timeout} s:\n{self.logs()}")

    def git(self, project: dict[str, Any], *args: str) -> str:
        """git in the project's repository, in the server's container (the workspace volume is not on this disk)."""
        repo = f"/workspace/Projects/{project['slug']}"
        return self.compose("exec", "-T", "server", "git", "-C", repo, *args)

    def logs(self) -> str:
        done = subprocess.run([*self.command, "logs", "--tail=40"], capture_output=True, text=True, check=False)
        return done.stdout[-6000:]


def _override(tmp_path: Path) -> Path:
    """The test pipelines in every studio container, and a 10 s visibility timeout."""
    dirs = json.dumps([IN_CONTAINER, "/opt/studio/app/pipeline_images"])
    service = {
        "environment": {"STUDIO_PIPELINE_DIRS": dirs, "STUDIO_TASK_VISIBILITY_TIMEOUT_S": "10"},
        "volumes": [f"{TEST_PIPELINES}:{IN_CONTAINER}:ro"],
    }
    path = tmp_path / "compose.test.yml"
    path.write_text(json.dumps({"services": dict.fromkeys(STUDIO_SERVICES, service)}))  # JSON is YAML
    return path


def _wait_ready(url: str, command: list[str], timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    logs = subprocess.run([*command, "logs", "--tail=60"], capture_output=True, text=True, check=False).stdout
    raise AssertionError(f"the deployment did not become ready within {timeout} s:\n{logs[-6000:]}")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    require_docker()
    assert shutil.which("docker-compose"), "docker-compose is missing: apt-get install docker-compose (./dev.sh test)."
    # The images hold the code under test: build what changed (nothing, when nothing did).
    subprocess.run([sys.executable, "-m", "server", "deploy", "build"], check=True, capture_output=True, timeout=1800)
    tmp_path = tmp_path_factory.mktemp("compose")
    env_file = tmp_path / "deploy.env"
    subprocess.run([sys.executable, "-m", "server", "deploy", "env", "--file", str(env_file)], check=True)
    port = free_port()
    with env_file.open("a") as env:
        env.write(f"STUDIO_PUBLISH=127.0.0.1:{port}\n")
        env.write('STUDIO_WORKER_GPUS=[{"name": "Compose stand-in GPU", "vram_gb": 24}]\n')
    command = ["docker-compose", "--project-name", f"studio-test-{port}", "--env-file", str(env_file)]
    command += ["-f", str(COMPOSE_FILE), "-f", str(_override(tmp_path))]
    url = f"http://127.0.0.1:{port}"
    admin_password = next(
        line.split("=", 1)[1] for line in env_file.read_text().splitlines() if line.startswith("STUDIO_ADMIN_PASSWORD=")
    )
    try:
        # The stateless worker needs a worker token, made in the server's database: the server first (README).
        up = subprocess.run([*command, "up", "-d", "server"], capture_output=True, text=True, check=False)
        assert up.returncode == 0, up.stderr[-3000:]
        token = _worker_token(command)
        with env_file.open("a") as env:
            env.write(f"STUDIO_WORKER_TOKEN={token}\n")
        up = subprocess.run([*command, "up", "-d"], capture_output=True, text=True, check=False)
        assert up.returncode == 0, up.stderr[-3000:]
        _wait_ready(url, command)
        signed_in = httpx.post(f"{url}/auth/token", data={"username": "admin", "password": admin_password})
        assert signed_in.status_code == 200, signed_in.text
        yield Deployment(command, url, signed_in.json()["access_token"], admin_password)
    finally:
        subprocess.run([*command, "down", "-v", "--timeout", "5"], capture_output=True, check=False, timeout=300)


def _worker_token(command: list[str], timeout: float = 120) -> str:
    """`studio workers token create` in the server's container, once its database schema is there."""
    deadline = time.monotonic() + timeout
    while True:
        made = subprocess.run(
            [*command, "exec", "-T", "server", "python3", "-m", "server", "workers", "token", "create"],
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode == 0:
            return made.stdout.strip().splitlines()[-1]
        if time.monotonic() > deadline:
            raise AssertionError(f"no worker token: {made.stderr[-2000:]}")
        time.sleep(2)


def succeeded(task: dict[str, Any]) -> bool:
    """Whether the task succeeded; the assertion that uses it shows the whole task (its error, its worker)."""
    return task["state"] == "succeeded"


def host_of(task: dict[str, Any]) -> str:
    """The container a task ran in: worker ids are <hostname>:<pid>, and compose names the hostnames."""
    worker: str = task["worker"]
    return worker.split(":", 1)[0]


def test_a_generate_lands_a_take_in_the_project_s_repository(deployment: Deployment) -> None:
    project = deployment.project(shot_graph("cpu-storyboard"), quality="low")
    done = deployment.wait_for(deployment.generate(project["id"]))
    assert succeeded(done), json.dumps(done)
    assert done["take_path"] == "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    subjects = deployment.git(project, "log", "--format=%s").splitlines()
    assert subjects[0] == "take: SHOT-010 v01 take01 (cpu-storyboard)"
    image = httpx.get(
        f"{deployment.url}/api/v1/projects/{project['id']}/files/{done['take_path']}", headers=deployment.headers
    )
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_tasks_spread_over_both_workers_and_gpu_work_goes_to_the_gpu_worker(deployment: Deployment) -> None:
    slow = deployment.project(shot_graph("test-slow", seconds=3), quality="low")
    tasks = [deployment.generate(slow["id"]) for _ in range(6)]
    gpu = deployment.project(shot_graph("test-gpu-image"), quality="high")
    gpu_task = deployment.generate(gpu["id"])
    finished = [deployment.wait_for(task_id) for task_id in tasks]
    assert all(succeeded(task) for task in finished), json.dumps(finished)
    assert {host_of(task) for task in finished} == {"worker-cpu", "worker-gpu"}
    on_gpu = deployment.wait_for(gpu_task)
    assert succeeded(on_gpu), json.dumps(on_gpu)
    assert host_of(on_gpu) == "worker-gpu"
    takes = deployment.git(slow, "log", "--format=%s").splitlines()
    assert len([subject for subject in takes if subject.startswith("take: SHOT-010 v01 take")]) == 6


def test_a_worker_container_stopped_mid_task_leaves_the_task_to_the_other(deployment: Deployment) -> None:
    project = deployment.project(shot_graph("test-slow", seconds=8), quality="low")
    task_id = deployment.generate(project["id"])
    running = deployment.wait_for(task_id, states=("running",))
    first = host_of(running)
    # Stopped at once (SIGKILL after no grace): the task is never acknowledged, Redis redelivers it; a stopped
    # container is not restarted by its policy, so the other worker must take it.
    deployment.compose("stop", "--timeout", "0", first)
    try:
        done = deployment.wait_for(task_id, timeout=240)
        assert succeeded(done), json.dumps(done)
        assert done["attempts"] == 2
        assert host_of(done) == ({"worker-cpu", "worker-gpu"} - {first}).pop()
        sidecars = deployment.git(project, "ls-files", "03_Renders/SCENE_01/SHOT_010/*.json").split()
        assert sidecars == ["03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.json"]
    finally:
        deployment.compose("up", "-d", first)


def test_the_canvas_opens_in_a_browser_on_the_published_port(deployment: Deployment, browser: Browser) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{deployment.url}/login")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(deployment.admin_password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{deployment.url}/projects")
        expect(page.get_by_role("button", name="New project")).to_be_visible()
    finally:
        context.close()
