"""Revoking sessions and scoping personal access tokens, attacked through REST and real git over HTTP."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import select

from server.db.engine import session_scope
from server.db.tables import AccessToken, utcnow
from server.gitserve.client_env import basic_authorization
from tests.support.factories import PASSWORD, TestUser
from tests.support.git_client import GitClient, write


def _sign_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_signing_out_everywhere_refuses_every_older_token(client: TestClient, alice: TestUser) -> None:
    laptop, phone = alice.token, _sign_in(client, "alice")
    assert client.get("/api/v1/users/me", headers=_bearer(phone)).status_code == 200

    assert client.post("/api/v1/users/me/sign-out-everywhere", headers=_bearer(laptop)).status_code == 204

    for stolen in (laptop, phone):
        refused = client.get("/api/v1/projects", headers=_bearer(stolen))
        assert refused.status_code == 401
        assert "sign in again" in refused.json()["error"]["message"]
    fresh = _sign_in(client, "alice")
    assert client.get("/api/v1/users/me", headers=_bearer(fresh)).json()["username"] == "alice"


def test_a_password_change_refuses_tokens_issued_before(client: TestClient, alice: TestUser) -> None:
    wrong = client.put(
        "/api/v1/users/me/password",
        json={"current_password": "not it at all", "new_password": "a brand new passphrase"},
        headers=alice.headers,
    )
    assert wrong.status_code == 403 and wrong.json()["error"]["field"] == "current_password"
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 200  # nothing changed

    changed = client.put(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        headers=alice.headers,
    )
    assert changed.status_code == 204, changed.text
    assert client.get("/api/v1/users/me", headers=alice.headers).status_code == 401
    assert client.post("/auth/token", data={"username": "alice", "password": PASSWORD}).status_code == 401
    assert _sign_in(client, "alice", "a brand new passphrase")


def _token(client: TestClient, user: TestUser, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/tokens", json={"name": "laptop", **fields}, headers=user.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _commit_a_script(git: GitClient, work: Path, name: str) -> None:
    write(work / f"02_Source_Creative/Scripts/{name}.txt", f"{name}\n")
    git.run("add", ".", cwd=work)
    git.run("commit", "-qm", name, cwd=work)


def test_a_read_token_clones_but_cannot_push(
    repo_url: str, client: TestClient, alice: TestUser, tmp_path: Path
) -> None:
    token = _token(client, alice)
    assert token["scope"] == "read"
    reader = GitClient("alice", token["token"], tmp_path)
    work = reader.clone(repo_url, tmp_path / "c")
    _commit_a_script(reader, work, "sneaky")
    pushed = reader.run("push", "origin", "main", cwd=work, check=False)
    assert pushed.returncode != 0 and "403" in pushed.stderr
    # An LFS upload needs write too.
    batch = httpx.post(
        f"{repo_url}/info/lfs/objects/batch",
        json={"operation": "upload", "objects": [{"oid": "a" * 64, "size": 1}]},
        headers={
            "Authorization": basic_authorization("alice", token["token"]),
            "Accept": "application/vnd.git-lfs+json",
        },
    )
    assert batch.status_code == 403 and "'read' scope" in batch.json()["error"]["message"]

    writer = GitClient("alice", _token(client, alice, scope="write")["token"], tmp_path)
    writer.run("push", "origin", "main", cwd=work)
    head = writer.run("ls-remote", repo_url, "refs/heads/main", cwd=tmp_path).stdout.split()[0]
    assert head == writer.run("rev-parse", "HEAD", cwd=work).stdout.strip()


def test_tokens_expire(
    repo_url: str, client: TestClient, alice: TestUser, engine: Engine, tmp_path: Path, settings: Any
) -> None:
    too_long = client.post(
        "/api/v1/tokens",
        json={"name": "forever", "expires_in_days": settings.personal_token_max_days + 1},
        headers=alice.headers,
    )
    assert too_long.status_code == 422 and "STUDIO_PERSONAL_TOKEN_MAX_DAYS" in too_long.json()["error"]["message"]

    token = _token(client, alice, expires_in_days=1)
    assert token["expires_at"] > token["created_at"]
    with session_scope(engine) as session:  # a day passes
        row = session.exec(select(AccessToken).where(AccessToken.id == token["id"])).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        session.commit()
    response = httpx.get(
        f"{repo_url}/info/refs",
        params={"service": "git-upload-pack"},
        headers={"Authorization": basic_authorization("alice", token["token"])},
    )
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]
