"""Nothing one user pushes can hang everyone or fill the disk: a held repository answers 503 with Retry-After,
and packs and LFS objects over their limits are refused with the setting named."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from server.config import Settings
from server.gitserve.client_env import basic_authorization
from server.projects.git import GitRepo
from tests.conftest import make_settings
from tests.support.factories import PASSWORD
from tests.support.git_client import GitClient, random_bytes, sha256_hex, write

MAX_PUSH = 1024 * 1024
MAX_OBJECT = 100_000
# How long the test holds the lock at most: far beyond the 1 s a request may wait for it.
HOLD_S = 60


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(
        tmp_path / "workspace",
        database_url=database_url,
        repo_lock_timeout_s=1,
        git_max_push_bytes=MAX_PUSH,
        lfs_max_object_bytes=MAX_OBJECT,
    )


def test_a_push_to_a_busy_repository_answers_503_with_retry_after(
    app: FastAPI, repo_url: str, alice_git: GitClient, project: dict[str, Any], tmp_path: Path
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "02_Source_Creative/Scripts/notes.txt", "notes\n")
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "notes", cwd=work)
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    done = threading.Event()
    held = threading.Event()

    def hold() -> None:  # a long server-side commit
        with served.lock():
            held.set()
            done.wait(HOLD_S)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        advertised = httpx.get(
            f"{repo_url}/info/refs",
            params={"service": "git-receive-pack"},
            headers={"Authorization": basic_authorization("alice", PASSWORD)},
            timeout=HOLD_S,
        )
        pushed = alice_git.run("push", "origin", "main", cwd=work, check=False)
        finished_while_held = not done.is_set()
    finally:
        done.set()
        holder.join()

    assert finished_while_held
    assert advertised.status_code == 503
    assert int(advertised.headers["retry-after"]) >= 1
    assert "busy" in advertised.json()["error"]["message"]
    assert pushed.returncode != 0 and "503" in pushed.stderr
    # Once it is free, the same push goes through.
    alice_git.run("push", "-q", "origin", "main", cwd=work)
    assert (served.root / "02_Source_Creative/Scripts/notes.txt").read_text() == "notes\n"


def test_a_pack_over_the_push_limit_is_refused(
    app: FastAPI, repo_url: str, alice_git: GitClient, project: dict[str, Any], tmp_path: Path
) -> None:
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    head = served.run("rev-parse", "HEAD")
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "02_Source_Creative/Scripts/huge.txt", random_bytes(3 * MAX_PUSH, seed=61).hex())
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "huge", cwd=work)

    pushed = alice_git.run("push", "origin", "main", cwd=work, check=False)

    assert pushed.returncode != 0
    assert "pack exceeds maximum allowed size" in pushed.stderr, pushed.stderr
    assert served.run("rev-parse", "HEAD") == head


def test_an_lfs_object_over_the_limit_is_refused_before_its_bytes_are_taken(
    app: FastAPI, repo_url: str, alice_git: GitClient, project: dict[str, Any], tmp_path: Path
) -> None:
    data = random_bytes(2 * MAX_OBJECT, seed=62)
    oid = sha256_hex(data)
    auth = {"Authorization": basic_authorization("alice", PASSWORD)}
    put = httpx.put(f"{repo_url}/info/lfs/objects/{oid}", content=data, headers=auth)
    assert put.status_code == 413
    assert "STUDIO_LFS_MAX_OBJECT_BYTES" in put.json()["error"]["message"]

    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4", data)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "big take", cwd=work)
    pushed = alice_git.run("push", "origin", "main", cwd=work, check=False)

    assert pushed.returncode != 0
    assert "STUDIO_LFS_MAX_OBJECT_BYTES" in pushed.stderr + pushed.stdout
    assert app.state.git_hosting.store.size_of(oid) is None
