"""The LFS batch API and basic transfer, spoken directly: every upload is checked against its oid."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.gitserve.client_env import basic_authorization
from server.gitserve.lfs_batch import LFS_MEDIA_TYPE
from tests.support.factories import PASSWORD, TestUser
from tests.support.git_client import random_bytes, sha256_hex

LFS_HEADERS = {"Accept": LFS_MEDIA_TYPE, "Content-Type": LFS_MEDIA_TYPE}


@pytest.fixture
def lfs(repo_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=f"{repo_url}/info/lfs", headers={"Authorization": basic_authorization("alice", PASSWORD)}
    ) as lfs_client:
        yield lfs_client


def _batch(lfs: httpx.Client, operation: str, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    response = lfs.post("/objects/batch", json={"operation": operation, "objects": objects}, headers=LFS_HEADERS)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(LFS_MEDIA_TYPE)
    answers: list[dict[str, Any]] = response.json()["objects"]
    return answers


def test_upload_verify_download_round_trip(lfs: httpx.Client) -> None:
    data = random_bytes(70_000, seed=10)
    obj = {"oid": sha256_hex(data), "size": len(data)}
    [answer] = _batch(lfs, "upload", [obj])
    upload, verify = answer["actions"]["upload"], answer["actions"]["verify"]
    # A transfer token of its own, never the credentials the batch came with.
    assert upload["header"]["Authorization"].startswith("Bearer ")

    assert httpx.put(upload["href"], content=data, headers=upload["header"]).status_code == 200
    assert httpx.post(verify["href"], json=obj, headers=verify["header"]).status_code == 200
    assert "actions" not in _batch(lfs, "upload", [obj])[0]  # already stored: nothing to send

    [download] = _batch(lfs, "download", [obj])
    fetched = httpx.get(download["actions"]["download"]["href"], headers=download["actions"]["download"]["header"])
    assert fetched.content == data
    # A download token does not upload, and Basic auth still works on its own.
    assert httpx.put(upload["href"], content=data, headers=download["actions"]["download"]["header"]).status_code == 401
    assert lfs.get(f"/objects/{obj['oid']}").content == data


def test_a_tampered_upload_is_refused_and_not_stored(lfs: httpx.Client, app: FastAPI) -> None:
    data = random_bytes(50_000, seed=11)
    tampered = data[:-1] + bytes([data[-1] ^ 1])
    oid = sha256_hex(data)

    response = lfs.put(f"/objects/{oid}", content=tampered)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "lfs_object_mismatch"
    assert sha256_hex(tampered) in response.json()["error"]["message"]
    assert app.state.git_hosting.store.size_of(oid) is None
    assert list(app.state.git_hosting.store.staging_dir().iterdir()) == []  # no partial file left
    assert lfs.post("/verify", json={"oid": oid, "size": len(data)}).status_code == 404


def test_an_upload_of_the_wrong_size_is_refused(lfs: httpx.Client, app: FastAPI) -> None:
    data = random_bytes(1000, seed=12)
    response = lfs.put(f"/objects/{sha256_hex(data + b'x')}", content=data + b"x" + b"more")
    assert response.status_code == 422
    assert app.state.git_hosting.store.size_of(sha256_hex(data + b"x")) is None


@pytest.mark.parametrize("oid", ["ABC", "A" * 64, "g" * 64, "0" * 63, "0" * 65, "../" + "0" * 61])
def test_malformed_oids_are_refused(lfs: httpx.Client, oid: str) -> None:
    [answer] = _batch(lfs, "upload", [{"oid": oid, "size": 1}])
    assert answer["error"]["code"] == 422 and "actions" not in answer
    assert lfs.put(f"/objects/{oid}", content=b"x").status_code in (404, 422)


def test_downloading_a_missing_object_is_a_per_object_404(lfs: httpx.Client) -> None:
    [answer] = _batch(lfs, "download", [{"oid": "a" * 64, "size": 3}])
    assert answer["error"]["code"] == 404
    assert lfs.get(f"/objects/{'a' * 64}").status_code == 404


def test_a_viewer_may_download_but_not_upload(
    repo_url: str, client: TestClient, alice: TestUser, bob: TestUser, project: dict[str, Any]
) -> None:
    client.put(
        f"/api/v1/projects/{project['id']}/members",
        json={"username": "bob", "role": "viewer"},
        headers=alice.headers,
    )
    data = b"bob's take"
    objects = [{"oid": sha256_hex(data), "size": len(data)}]
    with httpx.Client(
        base_url=f"{repo_url}/info/lfs", headers={"Authorization": basic_authorization("bob", PASSWORD)}
    ) as as_bob:
        assert as_bob.post("/objects/batch", json={"operation": "download", "objects": objects}).status_code == 200
        assert as_bob.post("/objects/batch", json={"operation": "upload", "objects": objects}).status_code == 403
        assert as_bob.put(f"/objects/{sha256_hex(data)}", content=data).status_code == 403


def _upload_action(lfs: httpx.Client, data: bytes) -> dict[str, Any]:
    [answer] = _batch(lfs, "upload", [{"oid": sha256_hex(data), "size": len(data)}])
    action: dict[str, Any] = answer["actions"]["upload"]
    return action


def test_signing_out_everywhere_ends_the_transfer_tokens_handed_out(
    lfs: httpx.Client, client: TestClient, alice: TestUser
) -> None:
    data = random_bytes(20_000, seed=12)
    issued_before = _upload_action(lfs, data)
    assert client.post("/api/v1/users/me/sign-out-everywhere", headers=alice.headers).status_code == 204

    refused = httpx.put(issued_before["href"], content=data, headers=issued_before["header"])
    assert refused.status_code == 401
    assert "signed out everywhere" in refused.text
    issued_after = _upload_action(lfs, data)  # the password still signs in: a new batch works
    assert httpx.put(issued_after["href"], content=data, headers=issued_after["header"]).status_code == 200


def test_revoking_the_access_token_ends_the_transfer_tokens_it_was_granted(
    repo_url: str, client: TestClient, alice: TestUser
) -> None:
    made = client.post("/api/v1/tokens", json={"name": "laptop", "scope": "write"}, headers=alice.headers).json()
    data = random_bytes(20_000, seed=13)
    with httpx.Client(
        base_url=f"{repo_url}/info/lfs", headers={"Authorization": basic_authorization("alice", made["token"])}
    ) as with_token:
        revoked_later, kept = _upload_action(with_token, data), _upload_action(with_token, data)
    assert httpx.put(kept["href"], content=data, headers=kept["header"]).status_code == 200
    assert client.delete(f"/api/v1/tokens/{made['id']}", headers=alice.headers).status_code == 204

    refused = httpx.put(revoked_later["href"], content=data, headers=revoked_later["header"])
    assert refused.status_code == 401
    assert "revoked" in refused.text
