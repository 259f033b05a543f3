"""Stateless worker mode (PRD §8.3): clone over HTTP into a throw-away cache, fetch only the LFS objects a
task needs, commit its output, push, and leave nothing behind."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from server.errors import GitCommandError
from server.gitserve.client_env import git_client_env
from server.projects.paths import new_file

TOKEN_USERNAME = "worker"


class WorkerCheckout:
    """`with WorkerCheckout(url, token, include=["01_Assets/Characters/hero.png"]) as checkout:` …
    `checkout.write(path, data)`, `checkout.commit_and_push([path], message)`; the cache goes on exit."""

    def __init__(
        self,
        remote_url: str,
        token: str,
        *,
        include: Sequence[str] = (),
        cache_root: Path | None = None,
        timeout_s: float = 600.0,
    ) -> None:
        self.remote_url = remote_url
        self.include = list(include)
        self.timeout_s = timeout_s
        self._cache_root = cache_root
        self._cache: Path | None = None
        # The project's content is not trusted: a pushed .lfsconfig must not send this token's requests
        # elsewhere (git configuration outranks .lfsconfig), and links are checked out as plain files.
        self._env = git_client_env(
            TOKEN_USERNAME,
            token,
            {"lfs.url": f"{remote_url}/info/lfs", "lfs.pushurl": f"{remote_url}/info/lfs", "core.symlinks": "false"},
        )

    @property
    def root(self) -> Path:
        if self._cache is None:
            raise RuntimeError("Use WorkerCheckout as a context manager: `with WorkerCheckout(...) as c:`.")
        return self._cache / "repo"

    def __enter__(self) -> WorkerCheckout:
        self._cache = Path(tempfile.mkdtemp(prefix="studio-worker-", dir=self._cache_root))
        try:
            # Pointers only: a worker pays only for the objects its task names.
            self._git(self._cache, "clone", "--quiet", self.remote_url, "repo", smudge=False)
            # The pre-push hook is what uploads new LFS objects before the commit that names them.
            self._git(self.root, "lfs", "install", "--local")
            if self.include:
                self._git(self.root, "lfs", "pull", f"--include={','.join(self.include)}", "--exclude=")
        except BaseException:
            self.discard()
            raise
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.discard()

    def discard(self) -> None:
        if self._cache is not None:
            shutil.rmtree(self._cache, ignore_errors=True)
            self._cache = None

    def path(self, relative: str) -> Path:
        return new_file(self.root, relative, folder=".")

    def write(self, relative: str, data: bytes) -> Path:
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.part")
        temporary.write_bytes(data)
        temporary.replace(target)
        return target

    def commit_and_push(self, paths: Sequence[str], message: str) -> str:
        """Commits `paths` (LFS-tracked ones become pointers) and pushes; returns the commit id."""
        for relative in paths:
            self.path(relative)
        self._git(self.root, "add", "--", *paths)
        self._git(self.root, "commit", "--quiet", "-m", message, "--", *paths)
        # `git push` uploads the new LFS objects first (the pre-push hook), then the commit.
        self._git(self.root, "push", "--quiet", "origin", "HEAD")
        return self._git(self.root, "rev-parse", "HEAD").strip()

    def _git(self, cwd: Path, *args: str, smudge: bool = True) -> str:
        env = dict(self._env)
        if not smudge:
            env["GIT_LFS_SKIP_SMUDGE"] = "1"
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=env, capture_output=True, timeout=self.timeout_s, check=False
        )
        if done.returncode != 0:
            detail = done.stderr.decode(errors="replace").strip()[-800:]
            raise GitCommandError(f"`git {args[0]}` against {self.remote_url} failed: {detail}")
        return done.stdout.decode(errors="replace")
