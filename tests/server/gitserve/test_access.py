"""Who may clone and push: passwords, access tokens, project roles; hostile names and paths refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from server.gitserve.client_env import basic_authorization
from tests.support.factories import PASSWORD, TestUser
from tests.support.git_client import GitClient, write
from tests.support.inprocess_server import InProcessServer


def _token(client: TestClient, user: TestUser, name: str = "laptop") -> dict[str, Any]:
    response = client.post("/api/v1/tokens", json={"name": name}, headers=user.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_anonymous_requests_get_a_basic_challenge(repo_url: str) -> None:
    response = httpx.get(f"{repo_url}/info/refs", params={"service": "git-upload-pack"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic ")


def test_a_wrong_password_is_refused(repo_url: str, alice: TestUser, tmp_path: Path) -> None:
    wrong = GitClient(alice.username, "not the password", tmp_path)
    cloned = wrong.run("clone", repo_url, str(tmp_path / "c"), cwd=tmp_path, check=False)
    assert cloned.returncode != 0
    # The server answered 401, so git asked for other credentials, and there are none to give.
    assert "could not read Username" in cloned.stderr
    assert not (tmp_path / "c" / "project.json").exists()
    for secret in ("not the password", "studio_pat_made-up"):
        response = httpx.get(
            f"{repo_url}/info/refs",
            params={"service": "git-upload-pack"},
            headers={"Authorization": basic_authorization(alice.username, secret)},
        )
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Basic ")


def test_another_users_project_is_invisible(repo_url: str, bob_git: GitClient, tmp_path: Path) -> None:
    cloned = bob_git.run("clone", repo_url, str(tmp_path / "c"), cwd=tmp_path, check=False)
    assert cloned.returncode != 0 and "not found" in cloned.stderr


def test_a_viewer_may_clone_but_not_push(
    repo_url: str,
    bob_git: GitClient,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    tmp_path: Path,
) -> None:
    shared = client.put(
        f"/api/v1/projects/{project['id']}/members",
        json={"username": "bob", "role": "viewer"},
        headers=alice.headers,
    )
    assert shared.status_code == 200, shared.text
    work = bob_git.clone(repo_url, tmp_path / "c")
    write(work / "02_Source_Creative/Scripts/bob.txt", "bob\n")
    bob_git.run("add", ".", cwd=work)
    bob_git.run("commit", "-qm", "bob", cwd=work)
    pushed = bob_git.run("push", "origin", "main", cwd=work, check=False)
    assert pushed.returncode != 0 and "403" in pushed.stderr


def test_an_access_token_works_until_revoked(
    repo_url: str, client: TestClient, alice: TestUser, tmp_path: Path
) -> None:
    token = _token(client, alice)
    assert token["token"].startswith("studio_pat_")
    with_token = GitClient("any-name", token["token"], tmp_path)
    assert (with_token.clone(repo_url, tmp_path / "c") / "project.json").exists()

    listed = client.get("/api/v1/tokens", headers=alice.headers).json()
    assert [(t["id"], t["name"]) for t in listed] == [(token["id"], "laptop")]
    assert listed[0]["last_used_at"] is not None and "token" not in listed[0]

    assert client.delete(f"/api/v1/tokens/{token['id']}", headers=alice.headers).status_code == 204
    refused = with_token.run("clone", repo_url, str(tmp_path / "d"), cwd=tmp_path, check=False)
    assert refused.returncode != 0


def test_tokens_are_private_to_their_owner(client: TestClient, alice: TestUser, bob: TestUser) -> None:
    token = _token(client, alice)
    assert client.get("/api/v1/tokens", headers=bob.headers).json() == []
    response = client.delete(f"/api/v1/tokens/{token['id']}", headers=bob.headers)
    assert response.status_code == 404
    assert "studio tokens list" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/git/..%2F..%2Fetc.git/info/refs?service=git-upload-pack",
        "/git/%2e%2e.git/info/refs?service=git-upload-pack",
        "/git/.git/info/refs?service=git-upload-pack",
        "/git/Git-Film/info/refs?service=git-upload-pack",
        "/git/Git-Film.git.git/info/refs?service=git-upload-pack",
        "/git/-Git-Film.git/info/refs?service=git-upload-pack",
        "/git/Git-Film.git/info/refs?service=git-upload-archive",
        "/git/Git-Film.git/info/refs",
        "/git/Git-Film.git/HEAD",
        "/git/Git-Film.git/objects/info/packs",
        "/git/Git-Film.git/config",
        "/git/Git-Film.git/../../../.studio/studio.db",
        "/git/Git-Film.git/info/lfs/objects/..%2F..%2F..%2Fstudio.db",
        "/git/Git-Film.git/info/lfs/objects/ABCDEF",
    ],
)
def test_hostile_names_and_paths_are_refused(live: InProcessServer, project: dict[str, Any], path: str) -> None:
    assert project["slug"] == "Git-Film"
    headers = {"Authorization": basic_authorization("alice", PASSWORD)}
    response = httpx.get(live.url + path, headers=headers)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:200])
    assert b"SQLite" not in response.content and b"[core]" not in response.content
