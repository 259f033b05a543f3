"""Takes through Git LFS with the real git-lfs client: both ways, partial fetches, the server's own takes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from server.gitserve.object_store import LocalObjectStore
from server.projects.git import GitRepo, studio_author
from tests.support.git_client import GitClient, pointer_text, random_bytes, sha256_hex, write

TAKE = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
OTHER_TAKE = "03_Renders/SCENE_01/SHOT_020/SHOT-020_v01_take01.mp4"
TAKE_BYTES = 3 * 1024 * 1024


def _store(app: FastAPI) -> LocalObjectStore:
    store = app.state.git_hosting.store
    assert isinstance(store, LocalObjectStore)
    return store


def _served_repo(app: FastAPI, project: dict[str, Any]) -> GitRepo:
    return GitRepo(app.state.settings.projects_dir / project["slug"])


def test_a_take_travels_through_lfs_both_ways(
    app: FastAPI, repo_url: str, alice_git: GitClient, tmp_path: Path, project: dict[str, Any]
) -> None:
    take = random_bytes(TAKE_BYTES, seed=1)
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / TAKE, take)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "take", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)

    stored = _store(app).path_for(sha256_hex(take))
    assert stored.read_bytes() == take
    served = _served_repo(app, project)
    assert served.run("cat-file", "-p", f"HEAD:{TAKE}") == pointer_text(take)  # history holds a pointer
    assert (served.root / TAKE).read_bytes() == take  # the served working tree holds the take

    fresh = alice_git.clone(repo_url, tmp_path / "fresh")
    assert (fresh / TAKE).read_bytes() == take


def test_skip_smudge_clones_pointers_and_include_pulls_a_subset(
    repo_url: str, alice_git: GitClient, tmp_path: Path
) -> None:
    first, second = random_bytes(200_000, seed=2), random_bytes(300_000, seed=3)
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / TAKE, first)
    write(work / OTHER_TAKE, second)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "two takes", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)

    light = alice_git.clone(repo_url, tmp_path / "light", GIT_LFS_SKIP_SMUDGE="1")
    assert (light / TAKE).read_text() == pointer_text(first)
    assert (light / OTHER_TAKE).read_text() == pointer_text(second)

    alice_git.run("lfs", "pull", f"--include={TAKE}", cwd=light)
    assert (light / TAKE).read_bytes() == first
    assert (light / OTHER_TAKE).read_text() == pointer_text(second)


def test_server_side_takes_are_in_the_store_for_a_fresh_clone(
    app: FastAPI, repo_url: str, alice_git: GitClient, tmp_path: Path, project: dict[str, Any]
) -> None:
    served = _served_repo(app, project)
    before_hosting = random_bytes(150_000, seed=4)
    # A server-side commit: git-lfs's clean filter puts the object in the repository's own .git/lfs.
    with served.lock():
        write(served.root / TAKE, before_hosting)
        served.commit([TAKE], "take: SHOT-010 v01 take01", studio_author("alice"))
    first_clone = alice_git.clone(repo_url, tmp_path / "one")
    assert (first_clone / TAKE).read_bytes() == before_hosting

    after_hosting = random_bytes(160_000, seed=5)
    with served.lock():
        write(served.root / OTHER_TAKE, after_hosting)
        served.commit([OTHER_TAKE], "take: SHOT-020 v01 take01", studio_author("alice"))
    # The repository keeps its own objects; the next git request puts the new one in the store.
    assert not _store(app).path_for(sha256_hex(after_hosting)).exists()
    assert served.run("config", "--local", "--default", "", "--get", "lfs.storage").strip() == ""
    second_clone = alice_git.clone(repo_url, tmp_path / "two", GIT_LFS_SKIP_SMUDGE="1")
    alice_git.run("lfs", "pull", cwd=second_clone)
    assert (second_clone / OTHER_TAKE).read_bytes() == after_hosting
    assert (second_clone / TAKE).read_bytes() == before_hosting
    assert _store(app).path_for(sha256_hex(after_hosting)).read_bytes() == after_hosting


def test_a_push_naming_objects_the_store_lacks_is_rejected(
    app: FastAPI, repo_url: str, alice_git: GitClient, tmp_path: Path, project: dict[str, Any]
) -> None:
    ghost = random_bytes(4096, seed=6)
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / TAKE, pointer_text(ghost))  # a pointer whose object was never uploaded
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "dangling pointer", cwd=work)
    before = _served_repo(app, project).run("rev-parse", "HEAD")

    # --no-verify skips git-lfs's pre-push upload, as a client without git-lfs would.
    pushed = alice_git.run("push", "--no-verify", "origin", "main", cwd=work, check=False)

    assert pushed.returncode != 0
    assert sha256_hex(ghost) in pushed.stderr and "does not have" in pushed.stderr
    assert _served_repo(app, project).run("rev-parse", "HEAD") == before
