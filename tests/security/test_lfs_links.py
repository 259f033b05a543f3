"""LFS objects belong to projects: knowing another project's oid gives neither its bytes nor a way to claim it.

Bob owns a project of his own and knows the oid of a take in Alice's (a sidecar once showed it to him).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.gitserve.client_env import basic_authorization
from server.gitserve.lfs_batch import LFS_MEDIA_TYPE
from server.gitserve.object_store import LocalObjectStore
from server.projects.git import GitRepo
from tests.support.factories import PASSWORD, TestUser, create_project
from tests.support.git_client import GitClient, pointer_text, random_bytes, sha256_hex, write
from tests.support.inprocess_server import InProcessServer

TAKE = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"
SECRET_TAKE = random_bytes(120_000, seed=41)
OID = sha256_hex(SECRET_TAKE)
OBJECT = {"oid": OID, "size": len(SECRET_TAKE)}


@pytest.fixture
def alices_take(app: FastAPI, repo_url: str, alice_git: GitClient, tmp_path: Path) -> str:
    """Alice pushes a take to her project ('Git Film') with the real git-lfs client."""
    work = alice_git.clone(repo_url, tmp_path / "alice")
    write(work / TAKE, SECRET_TAKE)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "take", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)
    assert _store(app).path_for(OID).read_bytes() == SECRET_TAKE
    return OID


@pytest.fixture
def bobs_project(client: TestClient, bob: TestUser) -> dict[str, Any]:
    return create_project(client, bob, "Bob Film")


def _store(app: FastAPI) -> LocalObjectStore:
    store = app.state.git_hosting.store
    assert isinstance(store, LocalObjectStore)
    return store


def _lfs(live: InProcessServer, project: dict[str, Any], username: str) -> httpx.Client:
    return httpx.Client(
        base_url=f"{live.url}/git/{project['slug']}.git/info/lfs",
        headers={
            "Authorization": basic_authorization(username, PASSWORD),
            "Accept": LFS_MEDIA_TYPE,
            "Content-Type": LFS_MEDIA_TYPE,
        },
    )


def _batch(lfs: httpx.Client, operation: str) -> dict[str, Any]:
    response = lfs.post("/objects/batch", json={"operation": operation, "objects": [OBJECT]})
    assert response.status_code == 200, response.text
    [answer] = response.json()["objects"]
    return dict(answer)


def test_another_projects_object_is_not_found_by_its_oid(
    live: InProcessServer, alices_take: str, bobs_project: dict[str, Any]
) -> None:
    never_stored = {"oid": "e" * 64, "size": len(SECRET_TAKE)}
    with _lfs(live, bobs_project, "bob") as lfs:
        answer = _batch(lfs, "download")
        missing = lfs.post("/objects/batch", json={"operation": "download", "objects": [never_stored]}).json()
        fetched = lfs.get(f"/objects/{OID}")
        verified = lfs.post("/verify", json=OBJECT)

    assert "actions" not in answer and answer["error"]["code"] == 404
    # Exactly what an object nobody has gets: the answer says nothing about other projects.
    assert answer["error"] == missing["objects"][0]["error"]
    assert fetched.status_code == 404 and SECRET_TAKE[:64] not in fetched.content
    assert verified.status_code == 404


def test_an_object_the_project_lacks_is_asked_for_again_never_already_there(
    app: FastAPI, live: InProcessServer, alices_take: str, bobs_project: dict[str, Any]
) -> None:
    with _lfs(live, bobs_project, "bob") as lfs:
        answer = _batch(lfs, "upload")
        assert set(answer["actions"]) == {"upload", "verify"}  # Bob must send the bytes himself
        forged = lfs.put(f"/objects/{OID}", content=random_bytes(len(SECRET_TAKE), seed=42))
        assert forged.status_code == 422  # not the object's bytes: refused, nothing linked
        assert lfs.get(f"/objects/{OID}").status_code == 404
    assert _store(app).path_for(OID).read_bytes() == SECRET_TAKE  # Alice's object is intact


def test_a_push_naming_another_projects_object_is_refused(
    app: FastAPI,
    live: InProcessServer,
    alices_take: str,
    bobs_project: dict[str, Any],
    bob_git: GitClient,
    client: TestClient,
    bob: TestUser,
    tmp_path: Path,
) -> None:
    bob_repo = GitRepo(app.state.settings.projects_dir / bobs_project["slug"])
    before = bob_repo.run("rev-parse", "HEAD")
    work = bob_git.clone(f"{live.url}/git/{bobs_project['slug']}.git", tmp_path / "bob")
    write(work / TAKE, pointer_text(SECRET_TAKE))  # the pointer alone, without the bytes
    bob_git.run("add", ".", cwd=work)
    bob_git.run("commit", "-qm", "claim alice's take", cwd=work)

    # --no-verify skips git-lfs's pre-push upload, as a client without git-lfs would.
    pushed = bob_git.run("push", "--no-verify", "origin", "main", cwd=work, check=False)

    assert pushed.returncode != 0
    assert OID in pushed.stderr and "does not have for this project" in pushed.stderr
    assert bob_repo.run("rev-parse", "HEAD") == before
    assert not (bob_repo.root / TAKE).exists()
    files = client.get(f"/api/v1/projects/{bobs_project['id']}/files/{TAKE}", headers=bob.headers)
    assert files.status_code == 404
    assert _store(app).path_for(OID).read_bytes() == SECRET_TAKE


def test_a_removed_member_cannot_fetch_the_projects_objects_anywhere(
    live: InProcessServer,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    alices_take: str,
    bobs_project: dict[str, Any],
) -> None:
    members = f"/api/v1/projects/{project['id']}/members"
    assert client.put(members, json={"username": "bob", "role": "editor"}, headers=alice.headers).status_code == 200
    with _lfs(live, project, "bob") as as_member:
        assert as_member.get(f"/objects/{OID}").content == SECRET_TAKE

    assert client.delete(f"{members}/bob", headers=alice.headers).status_code in (200, 204)

    with _lfs(live, project, "bob") as former, _lfs(live, bobs_project, "bob") as own:
        assert former.get(f"/objects/{OID}").status_code == 404  # the project is no longer his
        assert own.get(f"/objects/{OID}").status_code == 404  # nor is the object, through his own project
        assert _batch(own, "download")["error"]["code"] == 404


def test_uploading_the_bytes_to_ones_own_project_is_what_links_them(
    live: InProcessServer, alices_take: str, bobs_project: dict[str, Any]
) -> None:
    with _lfs(live, bobs_project, "bob") as lfs:
        assert lfs.put(f"/objects/{OID}", content=SECRET_TAKE).status_code == 200  # he has the bytes after all
        assert lfs.get(f"/objects/{OID}").content == SECRET_TAKE
        assert "actions" not in _batch(lfs, "upload")  # now it is his project's: nothing to send


def test_served_working_trees_never_read_the_shared_store(
    app: FastAPI, project: dict[str, Any], alices_take: str
) -> None:
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    assert served.run("config", "--local", "--default", "", "--get", "lfs.storage").strip() == ""
    # The pushed take was checked out from the repository's own copy of the object.
    assert (served.root / TAKE).read_bytes() == SECRET_TAKE
    own = served.root / ".git" / "lfs" / "objects" / OID[:2] / OID[2:4] / OID
    assert own.read_bytes() == SECRET_TAKE


def test_a_transfer_token_serves_only_its_project_and_only_while_access_lasts(
    live: InProcessServer,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    alices_take: str,
    bobs_project: dict[str, Any],
) -> None:
    members = f"/api/v1/projects/{project['id']}/members"
    client.put(members, json={"username": "bob", "role": "viewer"}, headers=alice.headers)
    with _lfs(live, project, "bob") as as_member:
        download = _batch(as_member, "download")["actions"]["download"]
    token = download["header"]
    assert httpx.get(download["href"], headers=token).content == SECRET_TAKE

    elsewhere = f"{live.url}/git/{bobs_project['slug']}.git/info/lfs/objects/{OID}"
    assert httpx.get(elsewhere, headers=token).status_code == 401  # the token names Alice's project
    client.delete(f"{members}/bob", headers=alice.headers)
    assert httpx.get(download["href"], headers=token).status_code == 404  # no longer his project
