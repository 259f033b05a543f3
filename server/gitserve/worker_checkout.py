"""Stateless worker mode (PRD §8.3): clone over HTTP into a throw-away cache, fetch only the LFS objects a
task needs, push what the task committed there, and leave nothing behind."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from server.errors import GitCommandError, ProjectMovedOnError
from server.gitserve.client_env import git_client_env
from server.projects.git import GitRepo
from server.projects.repo_lock import RepoLock

TOKEN_USERNAME = "worker"
BRANCH = "main"
# What git (client side) and the pre-receive hook say when the branch moved on since the clone.
MOVED_ON = ("fetch first", "non-fast-forward", "changed on the server while you worked")


class WorkerCheckout:
    """`with WorkerCheckout(url, token, include=["01_Assets/Characters/hero.png"]) as checkout:` … commit through
    `checkout.repo(…)` (each release of its lock pushes); the cache goes on exit. `include=None` fetches every LFS
    object."""

    def __init__(
        self,
        remote_url: str,
        token: str,
        *,
        include: Sequence[str] | None = (),
        cache_root: Path | None = None,
        timeout_s: float = 600.0,
    ) -> None:
        self.remote_url = remote_url
        self.include = None if include is None else list(include)
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
            if self.include is None:
                self._git(self.root, "lfs", "pull")
            elif self.include:
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

    def repo(self, lock_timeout_s: float) -> GitRepo:
        """The clone as jobs and the takes store see it: each time its lock is taken the clone is brought up to the
        served branch, and what was committed under it is pushed when it is released (_PushOnRelease)."""
        return ClonedRepo(self.root, self.timeout_s, lock_timeout_s, checkout=self)

    def sync(self) -> None:
        """Bring the clone to the served branch as it is now (pointers for what was not pulled)."""
        self._git(self.root, "fetch", "--quiet", "origin", BRANCH, smudge=False)
        self._git(self.root, "reset", "--quiet", "--hard", f"origin/{BRANCH}", smudge=False)

    def push(self) -> None:
        """Push what was committed here to the served branch; `git push` uploads the new LFS objects first (the
        pre-push hook), then the commits. ProjectMovedOnError when the branch moved on since the last sync; any
        other refusal is raised with the server's sentence."""
        try:
            self._git(self.root, "push", "--quiet", "origin", f"HEAD:{BRANCH}")
        except GitCommandError as exc:
            if any(sign in exc.message for sign in MOVED_ON):
                raise ProjectMovedOnError(exc.message) from exc
            raise

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


@dataclass(frozen=True)
class ClonedRepo(GitRepo):
    checkout: WorkerCheckout | None = None

    def lock(self) -> RepoLock:
        assert self.checkout is not None
        return _PushOnRelease(self.checkout, self.lock_timeout_s)


class _PushOnRelease(RepoLock):
    """The clone's lock, held by one writer of this job at a time, that makes its commits the project's.

    Taken: the clone is synced to the served branch, so the writer decides on the project's latest state (the
    next take number, whether this task already has its take). Released: what was committed is pushed, where the
    server takes the project's repository lock (Redis, with a fencing token) and the pre-receive hook checks it.
    A push overtaken by another change since the sync raises ProjectMovedOnError: the writer syncs and commits
    again (server.takes.store.commit_take does). A writer that failed leaves nothing: the clone is synced back."""

    def __init__(self, checkout: WorkerCheckout, timeout_s: float) -> None:
        super().__init__(checkout.root / ".git" / "studio.lock", timeout_s, checkout.root.name)
        self.checkout = checkout

    def __enter__(self) -> RepoLock:
        self.acquire()
        try:
            self.checkout.sync()
        except BaseException:
            self.release()
            raise
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        try:
            if _type is None:
                self.checkout.push()
            else:
                self.checkout.sync()
        finally:
            self.release()
