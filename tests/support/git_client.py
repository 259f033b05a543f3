"""The real git and git-lfs clients, isolated from ~/.gitconfig, with credentials in the environment."""

from __future__ import annotations

import hashlib
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

from server.gitserve.client_env import git_client_env


@dataclass
class GitClient:
    username: str
    secret: str
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        return {**git_client_env(self.username, self.secret, home=str(self.home)), **extra}

    def run(
        self, *args: str, cwd: Path, check: bool = True, input_text: str | None = None, **env: str
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=self.env(**env),
            input=input_text,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
        return done

    def clone(self, url: str, target: Path, **env: str) -> Path:
        self.run("clone", "--quiet", url, str(target), cwd=target.parent, **env)
        self.run("lfs", "install", "--local", cwd=target)
        return target


def random_bytes(size: int, seed: int = 0) -> bytes:
    """Incompressible, reproducible bytes (a stand-in for encoded video)."""
    return random.Random(seed).randbytes(size)


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pointer_text(data: bytes) -> str:
    return f"version https://git-lfs.github.com/spec/v1\noid sha256:{sha256_hex(data)}\nsize {len(data)}\n"


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
