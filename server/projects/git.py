"""Git operations on one project repository, serialised by a per-repository lock."""

from __future__ import annotations

import fcntl
import os
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from server.errors import GitCommandError

STUDIO_IDENTITY = ("Generative Media Studio", "studio@localhost")


@dataclass(frozen=True)
class Author:
    name: str
    email: str


def studio_author(username: str) -> Author:
    return Author(username, f"{username}@studio.local")


@cache
def empty_global_config() -> str:
    """A private, empty file to use as GIT_CONFIG_GLOBAL, so the server's git never reads ~/.gitconfig.

    Not /dev/null: a git or git-lfs command that writes global configuration replaces the file it names
    through a rename, which once turned /dev/null into a regular file for the whole machine.
    """
    path = Path(tempfile.mkdtemp(prefix="studio-git-")) / "gitconfig"
    path.touch()
    return str(path)


def _git_env() -> dict[str, str]:
    env = dict(os.environ)
    # The server's git must not read the operator's ~/.gitconfig or prompt on a terminal.
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=empty_global_config(),
        GIT_TERMINAL_PROMPT="0",
        GIT_COMMITTER_NAME=STUDIO_IDENTITY[0],
        GIT_COMMITTER_EMAIL=STUDIO_IDENTITY[1],
    )
    return env


@dataclass(frozen=True)
class GitRepo:
    root: Path
    timeout_s: float = 120.0

    def run(self, *args: str, input_bytes: bytes | None = None) -> str:
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=self.root,
                env=_git_env(),
                input=input_bytes,
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
            )
        except FileNotFoundError as exc:
            raise GitCommandError("git is not installed; install it (e.g. `apt-get install git`).") from exc
        except subprocess.TimeoutExpired as exc:
            raise GitCommandError(
                f"`git {' '.join(args)}` in {self.root.name} took longer than {self.timeout_s:.0f} s."
            ) from exc
        if done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip().splitlines()[-3:]
            raise GitCommandError(f"`git {' '.join(args)}` failed in {self.root.name}: {' '.join(detail)}")
        return done.stdout.decode(errors="replace")

    def commit(self, paths: Sequence[str], message: str, author: Author) -> str | None:
        """Stage `paths` and commit them; returns the new commit id, or None when nothing changed."""
        self.run("add", "--", *paths)
        if not self.run("diff", "--cached", "--name-only", "--", *paths).strip():
            return None
        self.run(
            "commit",
            "--quiet",
            "--no-verify",
            f"--author={author.name} <{author.email}>",
            "-m",
            message,
            "--",
            *paths,
        )
        return self.run("rev-parse", "HEAD").strip()

    def head_files(self) -> list[str]:
        return sorted(self.run("ls-tree", "-r", "--name-only", "HEAD").splitlines())

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive across threads and processes (flock on a file in .git): one writer per repository."""
        lock_path = self.root / ".git" / "studio.lock"
        with lock_path.open("a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
