"""Git operations on one project repository, serialised by a per-repository lock."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import redis

from server.config import DEFAULT_LOCK_TIMEOUT_S, Settings
from server.errors import GitCommandError
from server.projects.repo_lock import RedisRepoLock, RepoLock

STUDIO_IDENTITY = ("Generative Media Studio", "studio@localhost")
# git-lfs on the server never talks to a remote: its objects are in .git/lfs. Naming a URL that cannot
# answer here outranks any lfs.url a pushed .lfsconfig carries (git configuration wins over .lfsconfig).
NO_LFS_REMOTE = "file:///dev/null/studio-serves-lfs-itself"
# Every server-side git run: links are checked out as plain files, and pushed content cannot redirect LFS.
SERVER_GIT_CONFIG = {"core.symlinks": "false", "lfs.url": NO_LFS_REMOTE, "lfs.pushurl": NO_LFS_REMOTE}


def config_env(config: Mapping[str, str]) -> dict[str, str]:
    """`config` as GIT_CONFIG_COUNT variables: applied to one git run, above every configuration file."""
    env = {"GIT_CONFIG_COUNT": str(len(config))}
    for index, (key, value) in enumerate(config.items()):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env


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
        **config_env(SERVER_GIT_CONFIG),
    )
    return env


@cache
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


@dataclass(frozen=True)
class GitRepo:
    root: Path
    timeout_s: float = 120.0
    lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S
    # The studio's Redis: the repository lock holds across hosts (and has a fencing token); None: an flock.
    lock_redis_url: str | None = None

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
        """Stage `paths` (files and folders, removals included) and commit them; returns the new commit id, or None
        when nothing changed."""
        self.run("add", "--all", "--", *paths)
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

    def lock(self) -> RepoLock:
        """Exclusive across threads, processes and (with Redis) hosts: one writer per repository
        (`with repo.lock(): …`)."""
        path = self.root / ".git" / "studio.lock"
        if self.lock_redis_url is not None:
            return RedisRepoLock(_redis(self.lock_redis_url), path, self.lock_timeout_s, self.root.name)
        return RepoLock(path, self.lock_timeout_s, self.root.name)


def project_repo(settings: Settings, slug: str) -> GitRepo:
    """Project `slug`'s repository in the workspace, locked as every writer of it is (server, shared-disk workers)."""
    return GitRepo(
        settings.projects_dir / slug, settings.git_timeout_seconds, settings.repo_lock_timeout_s, settings.redis_url
    )
