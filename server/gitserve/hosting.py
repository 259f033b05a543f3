"""The git hosting set-up of one server: its LFS store, its hooks, and the git configuration of a push."""

from __future__ import annotations

import logging
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from server.config import Settings
from server.db.tables import Project
from server.gitserve.object_store import ObjectStore
from server.gitserve.pre_receive import PushHookEnv
from server.gitserve.repo_storage import detach_from_store, sync_repository_objects
from server.gitserve.store_config import LfsStoreSettings, build_store
from server.projects.git import SERVER_GIT_CONFIG, project_repo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
log = logging.getLogger(__name__)

# Applied to every http-backend run (GIT_CONFIG_COUNT), so they hold for every served repository
# whatever its own .git/config says.
RECEIVE_CONFIG = {
    **SERVER_GIT_CONFIG,
    "receive.fsckObjects": "true",
    "receive.denyNonFastForwards": "true",
    "receive.denyDeletes": "true",
    "http.receivepack": "true",
    "http.uploadpack": "true",
    "uploadpack.allowFilter": "true",
}


@dataclass(frozen=True)
class GitHosting:
    settings: Settings
    store_settings: LfsStoreSettings
    store: ObjectStore
    hooks_dir: Path

    @classmethod
    def create(cls, settings: Settings, store_settings: LfsStoreSettings | None = None) -> GitHosting:
        store_settings = store_settings or LfsStoreSettings()
        hooks_dir = settings.state_dir / "git-hooks"
        hooks_dir.mkdir(parents=True, exist_ok=True)
        hook = hooks_dir / "pre-receive"
        hook.write_text(
            f"#!/bin/sh\nexec {shlex.quote(sys.executable)} -m server.gitserve.pre_receive\n",
            encoding="utf-8",
        )
        hook.chmod(0o755)
        return cls(settings, store_settings, build_store(store_settings, settings.state_dir), hooks_dir)

    def backend_config(self) -> dict[str, str]:
        return {
            **RECEIVE_CONFIG,
            # git's own refusal names the limit: "pack exceeds maximum allowed size (1.00 GiB)".
            "receive.maxInputSize": str(self.settings.git_max_push_bytes),
            "core.hooksPath": str(self.hooks_dir),
        }

    def push_hook_env(self, project: Project, base_version: int, lock_fence: int | None) -> dict[str, str]:
        """What the pre-receive hook needs: the store's settings (and S3 credentials if any), the graph limits,
        the database, the project with the live version the push is checked against, and the fencing token of
        the repository lock the push is received under."""
        inherited = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
        push = PushHookEnv(
            self.settings.state_dir,
            self.settings.resolved_database_url,
            project.id,
            base_version,
            lock_fence,
            self.settings.redis_url,
            project.slug,
        )
        return {
            **inherited,
            **self.store_settings.as_env(self.settings.state_dir),
            **push.as_env(),
            **self.settings.graph_limits.as_env(),
            "PYTHONPATH": str(PROJECT_ROOT),
        }

    def backfill(self, engine: Engine) -> None:
        """Once per start: repositories from before per-project links stop reading the shared store, and every
        object a repository holds is linked to its project (what an upgraded workspace needs before its
        first git request; afterwards each request keeps the links current)."""
        with Session(engine, expire_on_commit=False) as session:
            for project in session.exec(select(Project)).all():
                repo = project_repo(self.settings, project.slug)
                if not (repo.root / ".git").is_dir():
                    continue
                if detach_from_store(repo, self.store):
                    log.info("%s: LFS objects copied from the shared store into the repository", project.slug)
                sync_repository_objects(session, project.id, repo, self.store)
