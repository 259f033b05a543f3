"""The smart-HTTP wire itself: gzip-compressed request bodies reach git http-backend intact."""

from __future__ import annotations

import gzip

import httpx

from server.gitserve.client_env import basic_authorization
from tests.support.factories import PASSWORD


def _pkt(line: str) -> bytes:
    return f"{len(line) + 4:04x}{line}".encode()


def test_a_gzip_upload_pack_request_gets_a_pack(repo_url: str) -> None:
    auth = {"Authorization": basic_authorization("alice", PASSWORD)}
    refs = httpx.get(f"{repo_url}/info/refs", params={"service": "git-upload-pack"}, headers=auth)
    assert refs.status_code == 200
    assert refs.headers["content-type"] == "application/x-git-upload-pack-advertisement"
    main = next(line for line in refs.content.split(b"\n") if line.endswith(b" refs/heads/main"))
    commit = main[4:44].decode()
    request = _pkt(f"want {commit} no-progress\n") + b"0000" + _pkt("done\n")

    response = httpx.post(
        f"{repo_url}/git-upload-pack",
        content=gzip.compress(request),
        headers={**auth, "Content-Type": "application/x-git-upload-pack-request", "Content-Encoding": "gzip"},
    )

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-git-upload-pack-result"
    assert b"NAK" in response.content[:16] and b"PACK" in response.content


def test_a_garbled_gzip_body_is_an_error_not_a_hang(repo_url: str) -> None:
    auth = {"Authorization": basic_authorization("alice", PASSWORD)}
    response = httpx.post(
        f"{repo_url}/git-upload-pack",
        content=b"\x1f\x8b not really gzip",
        headers={**auth, "Content-Type": "application/x-git-upload-pack-request", "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert b"PACK" not in response.content
    assert response.status_code >= 400 or response.content == b""
