"""A repository's own LFS objects and the shared store: the backfill of repositories from before links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session

from server.app import create_app
from server.config import Settings
from server.gitserve.lfs_links import linked
from server.gitserve.object_store import LocalObjectStore
from server.projects.git import GitRepo, studio_author
from tests.support.git_client import GitClient, random_bytes, sha256_hex, write
from tests.support.inprocess_server import InProcessServer

TAKE = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"


def test_a_repository_that_read_the_shared_store_gets_its_own_objects_and_links_at_start(
    app: FastAPI, settings: Settings, project: dict[str, Any], alice_git: GitClient, tmp_path: Path
) -> None:
    store = app.state.git_hosting.store
    assert isinstance(store, LocalObjectStore)
    served = GitRepo(settings.projects_dir / project["slug"])
    take = random_bytes(90_000, seed=31)
    oid = sha256_hex(take)
    # How the studio kept objects before links: the repository's lfs.storage was the shared store.
    served.run("config", "--local", "lfs.storage", str(store.root))
    with served.lock():
        write(served.root / TAKE, take)
        served.commit([TAKE], "take: SHOT-010 v01 take01", studio_author("alice"))
    own = served.root / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
    assert store.path_for(oid).read_bytes() == take and not own.exists()

    restarted = create_app(settings)  # the upgraded server starts on the same workspace

    assert served.run("config", "--local", "--default", "", "--get", "lfs.storage").strip() == ""
    assert own.read_bytes() == take
    assert own.stat().st_ino == store.path_for(oid).stat().st_ino  # a hard link, not a second copy
    with Session(restarted.state.engine) as session:
        assert linked(session, project["id"], [oid]) == {oid}
    with InProcessServer(restarted) as live:
        clone = alice_git.clone(f"{live.url}/git/{project['slug']}.git", tmp_path / "clone")
    assert (clone / TAKE).read_bytes() == take
    restarted.state.engine.dispose()
