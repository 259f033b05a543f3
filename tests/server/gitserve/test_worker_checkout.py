"""Stateless worker mode against the live server: a worker token, clone, partial LFS pull, a take committed with the
takes store, push (replayed when the branch moved on), one take per task id, and a cache that is always removed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.auth.users import get_user
from server.auth.worker_tokens import create_worker_token, revoke_worker_token
from server.db.tables import Task, TaskState
from server.errors import GitCommandError
from server.gitserve.worker_checkout import WorkerCheckout
from server.projects.git import GitRepo, studio_author
from server.takes.naming import ShotSlot
from server.takes.store import commit_take
from tests.support.factories import TestUser, png_bytes, take_fields
from tests.support.git_client import GitClient, pointer_text, random_bytes, sha256_hex, write

ASSET = "01_Assets/Generative_Assets/Characters/hero.png"
UNNEEDED = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
SLOT = ShotSlot("SCENE_01", "SHOT-020", 1)
TAKE = "03_Renders/SCENE_01/SHOT_020/SHOT-020_v01_take01.png"


@pytest.fixture
def worker_token(app: FastAPI, user_factory: Callable[..., TestUser]) -> tuple[int, str]:
    admin = user_factory("root", admin=True)
    with Session(app.state.engine) as session:
        holder = get_user(session, admin.username)
        token, secret = create_worker_token(session, holder, app.state.settings, "gpu-host-1")
        assert token.id is not None
        return token.id, secret


def queue_task(app: FastAPI, project: dict[str, Any], state: TaskState = TaskState.QUEUED) -> str:
    """A task row of the project, as a Generate leaves it: what lets a worker token open the project."""
    task_id = str(uuid.uuid4())
    with Session(app.state.engine) as session:
        session.add(
            Task(
                id=task_id,
                project_id=project["id"],
                node_id="shot",
                kind="tasks.shots.generate",
                queue="cpu",
                spec={},
                state=state,
            )
        )
        session.commit()
    return task_id


def push_files(person: GitClient, url: str, work: Path, files: dict[str, bytes]) -> None:
    person.clone(url, work)
    for path, data in files.items():
        write(work / path, data)
    person.run("add", ".", cwd=work)
    person.run("commit", "-qm", "files", cwd=work)
    person.run("push", "-q", "origin", "main", cwd=work)


def commit_a_take(checkout: WorkerCheckout, task_id: str, rgb: tuple[int, int, int], tmp_path: Path) -> str:
    produced = tmp_path / f"out-{uuid.uuid4().hex}.png"
    produced.write_bytes(png_bytes(8, 8, rgb))
    take = commit_take(checkout.repo(5.0), SLOT, produced, take_fields(task_id), studio_author("alice"))
    return take.path


def test_a_worker_fetches_only_what_it_needs_and_pushes_its_take(
    app: FastAPI,
    repo_url: str,
    alice_git: GitClient,
    worker_token: tuple[int, str],
    tmp_path: Path,
    project: dict[str, Any],
) -> None:
    asset, unneeded = random_bytes(80_000, seed=30), random_bytes(500_000, seed=31)
    push_files(alice_git, repo_url, tmp_path / "work", {ASSET: asset, UNNEEDED: unneeded})
    task_id = queue_task(app, project)
    caches = tmp_path / "worker-cache"
    caches.mkdir()

    with WorkerCheckout(repo_url, worker_token[1], include=[ASSET], cache_root=caches) as checkout:
        assert (checkout.root / ASSET).read_bytes() == asset
        assert (checkout.root / UNNEEDED).read_text() == pointer_text(unneeded)  # never downloaded
        path = commit_a_take(checkout, task_id, (10, 200, 30), tmp_path)
        output = (checkout.root / path).read_bytes()
        commit = GitRepo(checkout.root).run("rev-parse", "HEAD").strip()

    assert path == TAKE
    assert list(caches.iterdir()) == []  # the cache is gone
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    assert served.run("rev-parse", "HEAD").strip() == commit
    assert (served.root / TAKE).read_bytes() == output
    assert app.state.git_hosting.store.size_of(sha256_hex(output)) == len(output)


def test_a_take_made_after_the_branch_moved_on_lands_on_top_of_it(
    app: FastAPI,
    repo_url: str,
    alice_git: GitClient,
    worker_token: tuple[int, str],
    tmp_path: Path,
    project: dict[str, Any],
) -> None:
    task_id = queue_task(app, project)
    with WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path) as checkout:
        push_files(alice_git, repo_url, tmp_path / "work", {"02_Scripts/notes.txt": b"act one\n"})  # meanwhile
        commit_a_take(checkout, task_id, (1, 2, 3), tmp_path)  # its lock syncs the clone before the take is made
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    assert (served.root / "02_Scripts/notes.txt").read_bytes() == b"act one\n"
    assert (served.root / TAKE).is_file()
    assert served.run("log", "-1", "--format=%s").startswith("take: SHOT-020 v01 take01")


def test_two_workers_running_one_task_leave_one_take(
    app: FastAPI, repo_url: str, worker_token: tuple[int, str], tmp_path: Path, project: dict[str, Any]
) -> None:
    task_id = queue_task(app, project, TaskState.RUNNING)
    with (
        WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path) as first,
        WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path) as second,
    ):
        assert commit_a_take(first, task_id, (200, 0, 0), tmp_path) == TAKE
        # Cloned before the first take was pushed: the sync under its lock finds it, and it adds none.
        assert commit_a_take(second, task_id, (0, 0, 200), tmp_path) == TAKE
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    renders = [p for p in served.head_files() if p.startswith("03_Renders/SCENE_01/SHOT_020/")]
    assert renders == [TAKE.replace(".png", ".json"), TAKE]


def test_a_push_that_adds_a_second_take_of_a_task_is_refused_with_a_sentence(
    app: FastAPI, repo_url: str, worker_token: tuple[int, str], tmp_path: Path, project: dict[str, Any]
) -> None:
    """What the server refuses when a worker skipped (or raced past) the check under its lock."""
    task_id = queue_task(app, project, TaskState.RUNNING)
    with WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path) as first:
        commit_a_take(first, task_id, (200, 0, 0), tmp_path)
    with WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path) as late:
        plain = GitRepo(late.root)  # no sync, no check: a second take of the same task, pushed as it is
        sidecar = json.loads((late.root / TAKE.replace(".png", ".json")).read_text())
        second = TAKE.replace("take01", "take02")
        write(late.root / second.replace(".png", ".json"), json.dumps({**sidecar, "take_number": 2}).encode())
        write(late.root / second, png_bytes(8, 8, (0, 0, 200)))
        plain.commit([second, second.replace(".png", ".json")], "take: SHOT-020 v01 take02", studio_author("x"))
        with pytest.raises(GitCommandError) as refused:
            late.push()
    assert f"would be a second take of task {task_id}, which already has {TAKE.replace('.png', '.json')}" in (
        refused.value.message
    )
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    assert [p for p in served.head_files() if "SHOT_020" in p] == [TAKE.replace(".png", ".json"), TAKE]
    assert served.run("fsck", "--no-progress").strip() == ""


def test_a_worker_token_opens_only_projects_with_a_task(
    app: FastAPI, repo_url: str, worker_token: tuple[int, str], tmp_path: Path, project: dict[str, Any]
) -> None:
    with pytest.raises(GitCommandError, match=r"403"):
        WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path).__enter__()
    queue_task(app, project, TaskState.SUCCEEDED)  # a finished task opens nothing either
    with pytest.raises(GitCommandError, match=r"403"):
        WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path).__enter__()
    assert list(tmp_path.glob("studio-worker-*")) == []


def test_a_revoked_worker_token_is_refused_at_once(
    app: FastAPI, repo_url: str, worker_token: tuple[int, str], tmp_path: Path, project: dict[str, Any]
) -> None:
    queue_task(app, project)
    with WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path):
        pass
    with Session(app.state.engine) as session:
        revoke_worker_token(session, worker_token[0])
    with pytest.raises(GitCommandError, match=r"`git clone` against .* failed"):
        WorkerCheckout(repo_url, worker_token[1], cache_root=tmp_path).__enter__()
    assert list(tmp_path.glob("studio-worker-*")) == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/projects"),
        ("GET", "/api/v1/tokens"),
        ("GET", "/api/v1/system/workers"),
        ("POST", "/api/v1/tasks/generate_shot"),
        ("GET", "/api/v1/users/me"),
    ],
)
def test_a_worker_token_opens_no_user_rest_endpoint(
    client: TestClient, worker_token: tuple[int, str], method: str, path: str
) -> None:
    response = client.request(method, path, headers={"Authorization": f"Bearer {worker_token[1]}"}, json={})
    assert response.status_code == 401, response.text


def test_no_one_makes_a_worker_token_over_rest(client: TestClient, alice: TestUser) -> None:
    response = client.post("/api/v1/tokens", json={"name": "sneaky", "scope": "worker"}, headers=alice.headers)
    assert response.status_code == 422
    assert "studio workers token create" in response.text


def test_a_wrong_token_fails_with_the_reason_and_leaves_no_cache(repo_url: str, tmp_path: Path) -> None:
    caches = tmp_path / "worker-cache"
    caches.mkdir()
    with (
        pytest.raises(GitCommandError, match=r"`git clone` against .* failed"),
        WorkerCheckout(repo_url, "studio_pat_not-a-real-token", cache_root=caches),
    ):
        pytest.fail("a checkout with a wrong token must not open")
    assert list(caches.iterdir()) == []
