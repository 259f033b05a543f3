"""A second host without the workspace (PRD §8.3): a stateless Celery worker in its own directory, with its own HOME
and settings that name no workspace of the server's, reaches the project only through git HTTP with a worker token.
Real parts: the studio server, embedded Redis, Celery worker processes, git, git-lfs, the CPU stand-in pipelines."""

from __future__ import annotations

import hashlib
import json
import re
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.auth.users import create_user
from server.db.engine import create_db_engine, session_scope
from server.db.tables import AccessToken
from tests.server.generation.conftest import Chain, running_chain, shot_graph
from tests.server.generation.test_chain import git, repo_of
from tests.support.factories import PASSWORD, media_bytes

OID = re.compile(r"^oid sha256:([0-9a-f]{64})$", re.MULTILINE)


@pytest.fixture
def chain(tmp_path: Path) -> Iterator[Chain]:
    # The database is the one thing both hosts share besides Redis (PostgreSQL in a deployment): kept outside the
    # server's workspace, so that the worker is given no path inside it.
    (tmp_path / "db").mkdir()
    with running_chain(tmp_path, STUDIO_DATABASE_URL=f"sqlite:///{tmp_path / 'db' / 'studio.db'}") as chain:
        yield chain


def worker_token(chain: Chain) -> str:
    """Made as an admin makes one: `studio workers token create` on the server machine, printed once."""
    engine = create_db_engine(chain.env["STUDIO_DATABASE_URL"])
    with session_scope(engine) as session:
        create_user(session, "boss", PASSWORD, is_admin=True)
    engine.dispose()
    made = subprocess.run(
        [sys.executable, "-m", "server", "workers", "token", "create", "--name", "gpu-host", "--admin", "boss"],
        env=chain.env,
        capture_output=True,
        text=True,
        check=True,
    )
    token = made.stdout.strip()
    assert token.startswith("studio_pat_") and "worker token 1 'gpu-host'" in made.stderr
    engine = create_db_engine(chain.env["STUDIO_DATABASE_URL"])
    with session_scope(engine) as session:
        stored = session.get(AccessToken, 1)
        assert stored is not None and stored.scope == "worker" and token not in stored.secret_hash  # hashed
    engine.dispose()
    return token


def assert_untouched_by(host: Path) -> None:
    """The worker's own directory: its clones are gone, and it never made a workspace of projects."""
    assert list((host / "cache").iterdir()) == []
    assert not list(host.rglob("Projects"))


def test_a_stateless_worker_makes_a_take_the_canvas_sees(chain: Chain, tmp_path: Path) -> None:
    host = tmp_path / "other-host"
    chain.start_stateless_worker(host, worker_token(chain))
    project_id = chain.project(shot_graph("cpu-upscale-lanczos"), quality="low")
    still = media_bytes(tmp_path, "png")  # 32 x 24: an LFS object the worker pulls, and only it
    chain.feed_an_upload(project_id, still)
    socket = chain.socket(project_id)
    try:
        task_id = chain.generate(project_id)["task_id"]
        events = socket.collect_until("server:task_success", timeout=120)
    finally:
        socket.close()
    success = next(p for e, p in events if e == "server:task_success")
    takes_updated = next(p for e, p in events if e == "server:takes_updated")
    take_path = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png"
    assert success["task_id"] == task_id and success["result"]["take"]["path"] == take_path
    assert [t["path"] for t in takes_updated["takes"]] == [take_path]
    # What the socket announced is on the server: the take, its thumbnail, and a commit of it in the project.
    image = httpx.get(chain.server.url + success["result"]["output_url"], headers=chain.headers)
    assert struct.unpack(">II", image.content[16:24]) == (64, 48)  # the uploaded still, upscaled 2x
    thumbnail = httpx.get(chain.server.url + success["result"]["take"]["thumbnail_url"], headers=chain.headers)
    assert thumbnail.status_code == 200 and thumbnail.content.startswith(b"\x89PNG")
    repo = repo_of(chain, project_id)
    assert git(repo, "log", "-1", "--format=%s %an").strip() == "take: SHOT-010 v01 take01 (cpu-upscale-lanczos) alice"
    assert git(repo, "cat-file", "-p", f"HEAD:{take_path}").startswith("version https://git-lfs")
    sidecar = json.loads((repo / take_path.replace(".png", ".json")).read_text())
    assert sidecar["task_id"] == task_id
    assert sidecar["inputs"]["image"]["sha256"] == hashlib.sha256(still).hexdigest()
    assert chain.task(task_id)["state"] == "succeeded"
    assert_untouched_by(host)


def lfs_objects_of_history(repo: Path) -> set[str]:
    listing = git(repo, "rev-list", "--objects", "--all")
    blobs = [line.split()[0] for line in listing.splitlines()]
    batch = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=repo,
        input="\n".join(blobs) + "\n",
        capture_output=True,
        text=True,
        errors="replace",
        check=True,
    ).stdout
    return set(OID.findall(batch))


def test_a_killed_stateless_worker_s_task_completes_on_another_with_one_take(chain: Chain, tmp_path: Path) -> None:
    token = worker_token(chain)
    first = chain.start_stateless_worker(tmp_path / "host-a", token)
    project_id = chain.project(shot_graph("test-slow", seconds=6), quality="low")
    task = chain.generate(project_id)
    chain.wait_for(task["task_id"], states=("running",))
    chain.kill_worker(first)  # kill -9 mid-run, pool children included; its clone stays behind on its disk
    chain.start_stateless_worker(tmp_path / "host-b", token)
    done = chain.wait_for(task["task_id"], timeout=180)
    assert done["state"] == "succeeded", done
    assert done["attempts"] == 2
    repo = repo_of(chain, project_id)
    sidecars = list((repo / "03_Renders/SCENE_01/SHOT_010").glob("*.json"))
    assert [json.loads(s.read_text())["task_id"] for s in sidecars] == [task["task_id"]]
    # Every LFS object in the studio's store is one a commit names: the killed run uploaded nothing half-way.
    store = chain.server.workspace / ".studio" / "lfs"
    stored = {p.name for p in store.rglob("*") if p.is_file() and re.fullmatch(r"[0-9a-f]{64}", p.name)}
    assert stored and stored <= lfs_objects_of_history(repo)
    subprocess.run(["git", "fsck", "--strict"], cwd=repo, check=True, capture_output=True)
    assert_untouched_by(tmp_path / "host-b")
