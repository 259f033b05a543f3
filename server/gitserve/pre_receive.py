"""The pre-receive hook (`python -m server.gitserve.pre_receive`): refuses pushes the server must not take.

It runs inside `git receive-pack`, in the project's repository, with the environment the server hands it
(`PushHookEnv`): the LFS store's settings, the database, the project and the live version the push is
checked against.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import redis
from sqlalchemy import Engine
from sqlmodel import Session

from server.db.engine import create_db_engine
from server.db.tables import Project
from server.gitserve.lfs_links import linked
from server.gitserve.lfs_objects import LfsObject
from server.gitserve.object_store import ObjectStore
from server.gitserve.push_checks import (
    PointerScan,
    RefUpdate,
    canvas_changed,
    lfsconfig_problems,
    link_problems,
    parse_updates,
    pointer_format_problems,
    project_file_problems,
    pushed_pointers,
    stale_updates,
)
from server.gitserve.repo_storage import materialise
from server.gitserve.store_config import LfsStoreSettings, build_store
from server.gitserve.take_checks import duplicate_take_problems
from server.graph_limits import GraphLimits
from server.projects.repo_lock import fence_is_current

STATE_DIR_ENV = "STUDIO_STATE_DIR"
DATABASE_ENV = "STUDIO_HOOK_DATABASE_URL"
PROJECT_ENV = "STUDIO_HOOK_PROJECT_ID"
BASE_VERSION_ENV = "STUDIO_HOOK_BASE_VERSION"
FENCE_ENV = "STUDIO_HOOK_LOCK_FENCE"
REDIS_ENV = "STUDIO_HOOK_REDIS_URL"
REPO_NAME_ENV = "STUDIO_HOOK_REPO_NAME"


@dataclass(frozen=True)
class PushHookEnv:
    """What the server tells the hook, as environment variables (never arguments: `ps` shows those)."""

    state_dir: Path
    database_url: str
    project_id: str
    base_version: int
    # The fencing token of the Redis repository lock the push request holds (None: an flock, no Redis).
    lock_fence: int | None = None
    redis_url: str | None = None
    repo_name: str = ""

    def as_env(self) -> dict[str, str]:
        env = {
            STATE_DIR_ENV: str(self.state_dir),
            DATABASE_ENV: self.database_url,
            PROJECT_ENV: self.project_id,
            BASE_VERSION_ENV: str(self.base_version),
            REPO_NAME_ENV: self.repo_name,
        }
        if self.lock_fence is not None and self.redis_url is not None:
            env.update({FENCE_ENV: str(self.lock_fence), REDIS_ENV: self.redis_url})
        return env

    @classmethod
    def from_env(cls) -> PushHookEnv:
        fence = os.environ.get(FENCE_ENV)
        return cls(
            Path(os.environ[STATE_DIR_ENV]),
            os.environ[DATABASE_ENV],
            os.environ[PROJECT_ENV],
            int(os.environ[BASE_VERSION_ENV]),
            int(fence) if fence else None,
            os.environ.get(REDIS_ENV),
            os.environ.get(REPO_NAME_ENV, ""),
        )


def _unavailable(session: Session, project_id: str, store: ObjectStore, objects: set[LfsObject]) -> list[LfsObject]:
    """Pushed objects this project has not received: unlinked (another project's, or never uploaded) or
    not whole in the store."""
    held = linked(session, project_id, (o.oid for o in objects))
    return sorted((o for o in objects if o.oid not in held or store.size_of(o.oid) != o.size), key=lambda o: o.oid)


def _lfs_problems(session: Session, project_id: str, store: ObjectStore, objects: set[LfsObject]) -> list[str]:
    missing = _unavailable(session, project_id, store, objects)
    if not missing:
        return []
    listed = "\n".join(f"  {o.oid} ({o.size} bytes)" for o in missing[:20])
    return [
        f"this push names {len(missing)} Git LFS object(s) the server does not have for this project:\n{listed}\n"
        "studio: upload them first (`git lfs push --all origin`, or check that git-lfs is installed with "
        "`git lfs install`), then push again."
    ]


def _version_problems(session: Session, hook: PushHookEnv, updates: list[RefUpdate]) -> list[str]:
    project = session.get(Project, hook.project_id)
    if project is None or project.version == hook.base_version or not canvas_changed(updates):
        return []
    return [
        f"the canvas was edited live while you pushed (it is now at version {project.version}); wait a few "
        "seconds for the studio to save it, run `git pull`, then push again."
    ]


def fence_problems(hook: PushHookEnv) -> list[str]:
    """Checked last, right before the refs move: the lock must still be this push's (see server.projects.repo_lock)."""
    if hook.lock_fence is None or hook.redis_url is None:
        return []
    client = redis.Redis.from_url(hook.redis_url)
    try:
        if fence_is_current(client, hook.repo_name, hook.lock_fence):
            return []
    finally:
        client.close()
    return [
        f"the project's repository lock this push was received under (fencing token {hook.lock_fence}) expired and "
        "went to a later writer while the push was being received, so it is stale; push again."
    ]


def check(
    updates: list[RefUpdate], scan: PointerScan, hook: PushHookEnv, engine: Engine, store: ObjectStore
) -> list[str]:
    with Session(engine) as session:
        return [
            *duplicate_take_problems(updates),
            *link_problems(updates),
            *lfsconfig_problems(updates),
            *pointer_format_problems(scan),
            *_lfs_problems(session, hook.project_id, store, scan.objects),
            *project_file_problems(updates, hook.project_id, GraphLimits()),
            *_version_problems(session, hook, updates),
        ]


def _refuse(problems: list[str]) -> int:
    for problem in problems:
        print(f"studio: {problem}", file=sys.stderr)
    print("studio: the push was refused; nothing changed on the server.", file=sys.stderr)
    return 1


def main() -> int:
    updates = parse_updates(sys.stdin.read().splitlines())
    # A ref that moved since the pusher read it makes every other check moot: they pull first.
    stale = stale_updates(updates)
    if stale:
        return _refuse(stale)
    hook = PushHookEnv.from_env()
    store = build_store(LfsStoreSettings(), hook.state_dir)
    scan = pushed_pointers(updates)
    engine = create_db_engine(hook.database_url)
    try:
        problems = check(updates, scan, hook, engine, store) or fence_problems(hook)
    finally:
        engine.dispose()
    if problems:
        return _refuse(problems)
    # The served working tree is checked out from the repository's own .git/lfs, never from the store.
    git_dir = subprocess.run(
        ["git", "rev-parse", "--absolute-git-dir"], capture_output=True, check=True, text=True
    ).stdout.strip()
    materialise(store, scan.objects, Path(git_dir) / "lfs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
