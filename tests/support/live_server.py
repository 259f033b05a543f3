"""The real studio in a subprocess (uvicorn via `studio up`) on a free loopback port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.postgres import free_port


class LiveServer:
    def __init__(self, workspace: Path, *, redis_url: str | None, secret: str, **env: str) -> None:
        self.workspace = workspace
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "STUDIO_WORKSPACE": str(workspace),
            "STUDIO_SECRET_KEY": secret,
            "STUDIO_START_WORKER": "false",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        if redis_url:
            self.env["STUDIO_REDIS_URL"] = redis_url
        self.log_path = workspace.parent / f"server-{self.port}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 180) -> LiveServer:
        self.workspace.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server", "up", "--port", str(self.port)],
                cwd=self.workspace.parent,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the studio exited at start:\n{self.log_path.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/openapi.json", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"the studio did not answer within {timeout_s} s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        """kill -9: no shutdown hooks, no flushing."""
        assert self.process is not None
        self.process.kill()
        self.process.wait()

    def token(self, username: str, password: str) -> str:
        response = httpx.post(f"{self.url}/auth/token", data={"username": username, "password": password})
        response.raise_for_status()
        token: str = response.json()["access_token"]
        return token
