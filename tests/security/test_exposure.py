"""What answers give away: no password echoed by the LFS batch API, no pushed page run as the studio's own,
no server paths for anyone but admins."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from server.gitserve.client_env import basic_authorization
from server.gitserve.lfs_batch import LFS_MEDIA_TYPE
from tests.support.factories import PASSWORD, TestUser, png_bytes
from tests.support.git_client import GitClient, random_bytes, sha256_hex, write

PAGE = "02_Source_Creative/Scripts/notes.html"
SCRIPT = b"<html><script>fetch('/api/v1/projects').then(r => r.text()).then(alert)</script></html>"


def test_the_batch_answer_never_repeats_the_password(repo_url: str) -> None:
    data = random_bytes(1000, seed=71)
    objects = [{"oid": sha256_hex(data), "size": len(data)}]
    response = httpx.post(
        f"{repo_url}/info/lfs/objects/batch",
        json={"operation": "upload", "objects": objects},
        headers={"Authorization": basic_authorization("alice", PASSWORD), "Accept": LFS_MEDIA_TYPE},
        timeout=60,  # Basic auth checks the password with Argon2: beyond httpx's 5 s on a loaded machine
    )
    assert response.status_code == 200
    assert response.json()["objects"][0]["actions"]["upload"]["href"].endswith(sha256_hex(data))
    assert PASSWORD not in response.text
    assert base64.b64encode(f"alice:{PASSWORD}".encode()).decode() not in response.text


def test_a_pushed_page_is_served_as_a_sandboxed_download_never_as_a_page(
    repo_url: str,
    alice_git: GitClient,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    tmp_path: Path,
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / PAGE, SCRIPT)
    write(work / "01_Assets/Source_Media/still.png", png_bytes())
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "a page and a picture", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)
    files = f"/api/v1/projects/{project['id']}/files"

    page = client.get(f"{files}/{PAGE}", headers=alice.headers)
    picture = client.get(f"{files}/01_Assets/Source_Media/still.png", headers=alice.headers)

    assert page.status_code == 200 and page.content == SCRIPT
    assert page.headers["content-disposition"].startswith("attachment")
    assert page.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert picture.headers["content-type"] == "image/png"
    assert picture.headers["content-disposition"].startswith("inline")
    assert picture.headers["x-content-type-options"] == "nosniff"


def test_server_paths_are_for_admins_only(
    app: FastAPI, client: TestClient, alice: TestUser, user_factory: Callable[..., TestUser], project: dict[str, Any]
) -> None:
    workspace = str(app.state.settings.workspace_dir)
    root = user_factory("root", admin=True)

    as_user = client.get("/api/v1/system/health", headers=alice.headers)
    as_admin = client.get("/api/v1/system/health", headers=root.headers)

    assert workspace not in as_user.text
    assert as_admin.json()["workspace"] == workspace


def test_a_broken_project_file_is_named_without_the_server_folders(
    app: FastAPI, client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    served = app.state.settings.projects_dir / project["slug"]
    (served / "project.json").write_text("{")  # an operator's half-finished edit

    opened = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers)

    assert opened.status_code == 422
    assert f"{project['slug']}/project.json" in opened.json()["error"]["message"]
    assert str(app.state.settings.workspace_dir) not in opened.text
