"""Where a job finds its project: the workspace on this host's disk (STUDIO_WORKER_MODE=shared), or a throw-away
clone of it over the studio's git HTTP (stateless, PRD §8.3).

Either way the job runs the same code on a GitRepo (takes are committed by server.takes.store under the
repository's lock); only where that repository lives, and how its commits reach the project, differ: in a clone,
taking the lock syncs it with the studio and releasing it pushes (server.gitserve.worker_checkout).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from server.config import Settings
from server.db.tables import Project
from server.gitserve.worker_checkout import WorkerCheckout
from server.projects.git import GitRepo, project_repo


class ProjectCheckouts(Protocol):
    def open(self, project: Project, include: Sequence[str] | None) -> AbstractContextManager[GitRepo]:
        """The project for one job, with the files in `include` readable (None: every file)."""


class SharedDisk:
    """The workspace itself: commits are the project's as soon as they are made."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @contextmanager
    def open(self, project: Project, include: Sequence[str] | None) -> Iterator[GitRepo]:
        yield project_repo(self.settings, project.slug)


class StatelessClones:
    """A clone per job in STUDIO_WORKER_CACHE (LFS pointers only, then just `include`), pushed to with the worker
    token, removed whatever happened."""

    def __init__(self, settings: Settings) -> None:
        assert settings.server_url and settings.worker_token, "Settings refuses stateless mode without them"
        self.settings = settings
        self.server_url = settings.server_url.rstrip("/")
        self.token = settings.worker_token.get_secret_value()

    @contextmanager
    def open(self, project: Project, include: Sequence[str] | None) -> Iterator[GitRepo]:
        cache: Path | None = None
        if self.settings.worker_cache is not None:
            cache = self.settings.worker_cache.expanduser().resolve()
            cache.mkdir(parents=True, exist_ok=True)
        url = f"{self.server_url}/git/{project.slug}.git"
        timeout = self.settings.git_timeout_seconds
        with WorkerCheckout(url, self.token, include=include, cache_root=cache, timeout_s=timeout) as checkout:
            yield checkout.repo(self.settings.repo_lock_timeout_s)


def checkouts_for(settings: Settings) -> ProjectCheckouts:
    return StatelessClones(settings) if settings.worker_mode == "stateless" else SharedDisk(settings)
