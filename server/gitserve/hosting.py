"""The git hosting set-up of one server: its LFS store, its hooks, and the git configuration of a push."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from server.config import Settings
from server.gitserve.object_store import ObjectStore
from server.gitserve.pre_receive import STATE_DIR_ENV
from server.gitserve.store_config import LfsStoreSettings, build_store

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Applied to every http-backend run (GIT_CONFIG_COUNT), so they hold for every served repository
# whatever its own .git/config says.
RECEIVE_CONFIG = {
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
        return {**RECEIVE_CONFIG, "core.hooksPath": str(self.hooks_dir)}

    def hook_env(self) -> dict[str, str]:
        """What the pre-receive hook needs: the store's settings and S3 credentials if any, the graph limits."""
        inherited = {k: v for k, v in os.environ.items() if k.startswith("AWS_")}
        return {
            **inherited,
            **self.store_settings.as_env(self.settings.state_dir),
            **self.settings.graph_limits.as_env(),
            STATE_DIR_ENV: str(self.settings.state_dir),
            "PYTHONPATH": str(PROJECT_ROOT),
        }
