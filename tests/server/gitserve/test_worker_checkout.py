"""Stateless worker mode against the live server: clone, partial LFS pull, commit, push, discard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.errors import GitCommandError, PathNotAllowedError
from server.gitserve.worker_checkout import WorkerCheckout
from server.projects.git import GitRepo
from tests.support.factories import TestUser
from tests.support.git_client import GitClient, pointer_text, random_bytes, sha256_hex, write

ASSET = "01_Assets/Generative_Assets/Characters/hero.png"
UNNEEDED = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
OUTPUT = "03_Renders/SCENE_01/SHOT_020/SHOT-020_v01_take01.mp4"


@pytest.fixture
def service_token(client: TestClient, alice: TestUser) -> str:
    # A stateless worker pushes its takes: its token needs the write scope.
    response = client.post("/api/v1/tokens", json={"name": "render-worker", "scope": "write"}, headers=alice.headers)
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def test_a_worker_fetches_only_what_it_needs_and_pushes_its_take(
    app: FastAPI,
    repo_url: str,
    alice_git: GitClient,
    service_token: str,
    tmp_path: Path,
    project: dict[str, Any],
) -> None:
    asset, unneeded, output = (random_bytes(n, seed=s) for n, s in ((80_000, 30), (500_000, 31), (400_000, 32)))
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / ASSET, asset)
    write(work / UNNEEDED, unneeded)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "assets", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)
    caches = tmp_path / "worker-cache"
    caches.mkdir()

    with WorkerCheckout(repo_url, service_token, include=[ASSET], cache_root=caches) as checkout:
        assert checkout.path(ASSET).read_bytes() == asset
        assert checkout.path(UNNEEDED).read_text() == pointer_text(unneeded)  # never downloaded
        checkout.write(OUTPUT, output)
        commit = checkout.commit_and_push([OUTPUT], "take: SHOT-020 v01 take01 (test-pipeline)")

    assert list(caches.iterdir()) == []  # the cache is gone
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    assert served.run("rev-parse", "HEAD").strip() == commit
    assert (served.root / OUTPUT).read_bytes() == output
    assert app.state.git_hosting.store.size_of(sha256_hex(output)) == len(output)


def test_a_worker_cannot_write_outside_the_project(repo_url: str, service_token: str, tmp_path: Path) -> None:
    with WorkerCheckout(repo_url, service_token, cache_root=tmp_path) as checkout:
        for hostile in ("../escape.txt", ".git/config", "/etc/passwd"):
            with pytest.raises(PathNotAllowedError):
                checkout.write(hostile, b"x")
    assert not (tmp_path / "escape.txt").exists()


def test_a_wrong_token_fails_with_the_reason_and_leaves_no_cache(repo_url: str, tmp_path: Path) -> None:
    caches = tmp_path / "worker-cache"
    caches.mkdir()
    with (
        pytest.raises(GitCommandError, match=r"`git clone` against .* failed"),
        WorkerCheckout(repo_url, "studio_pat_not-a-real-token", cache_root=caches),
    ):
        pytest.fail("a checkout with a wrong token must not open")
    assert list(caches.iterdir()) == []
