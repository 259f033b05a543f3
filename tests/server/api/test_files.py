"""GET /api/v1/projects/{id}/files/{path}: Range requests and confinement to the working tree."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.config import Settings
from tests.support.factories import TestUser, create_project, png_bytes


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(client, alice)


@pytest.fixture
def repo(settings: Settings, project: dict[str, Any]) -> Path:
    return settings.projects_dir / project["slug"]


def url(project: dict[str, Any], path: str) -> str:
    return f"/api/v1/projects/{project['id']}/files/{path}"


def test_whole_file_is_served_with_its_type(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    content = png_bytes(32, 32)
    (repo / "01_Assets/Source_Media/still.png").write_bytes(content)
    response = client.get(url(project, "01_Assets/Source_Media/still.png"), headers=alice.headers)
    assert response.status_code == 200
    assert response.content == content
    assert response.headers["content-type"] == "image/png"
    assert response.headers["accept-ranges"] == "bytes"


def test_range_request_returns_exactly_the_bytes_asked_for(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    content = bytes(range(256)) * 40
    (repo / "03_Renders/clip.bin").write_bytes(content)
    response = client.get(url(project, "03_Renders/clip.bin"), headers={**alice.headers, "Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response.content == content[100:200]
    assert response.headers["content-range"] == f"bytes 100-199/{len(content)}"
    tail = client.get(url(project, "03_Renders/clip.bin"), headers={**alice.headers, "Range": "bytes=-10"})
    assert tail.content == content[-10:]
    beyond = client.get(url(project, "03_Renders/clip.bin"), headers={**alice.headers, "Range": "bytes=999999-"})
    assert beyond.status_code == 416


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        # Clients normalise literal dot segments away, so hostile ones arrive percent-encoded.
        ("..%2F..%2F..%2Fetc%2Fpasswd", 400, "path_not_allowed"),
        ("01_Assets%2F..%2F..%2Fescape.txt", 400, "path_not_allowed"),
        ("%2Fetc%2Fpasswd", 400, "path_not_allowed"),
        ("C:%5Cwindows%5Cwin.ini", 400, "path_not_allowed"),
        (".git/config", 400, "path_not_allowed"),
        ("01_Assets%2F.git%2F..%2F..%2Fproject.json", 400, "path_not_allowed"),
        ("project.json%00.png", 400, "path_not_allowed"),
        ("03_Renders/missing.png", 404, "file_not_found"),
        ("03_Renders", 404, "file_not_found"),
    ],
)
def test_paths_outside_the_working_tree_are_refused(
    client: TestClient, alice: TestUser, project: dict[str, Any], path: str, status: int, code: str
) -> None:
    response = client.get(url(project, path), headers=alice.headers)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code


def test_symlinks_leading_out_of_the_repo_are_refused(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    os.symlink(secret, repo / "01_Assets/leak.txt")
    os.symlink(tmp_path, repo / "01_Assets/outside")
    os.symlink(repo / ".git", repo / "01_Assets/gitdir")
    for path in ("01_Assets/leak.txt", "01_Assets/outside/secret.txt", "01_Assets/gitdir/config"):
        response = client.get(url(project, path), headers=alice.headers)
        assert response.status_code == 400, path
        assert "top secret" not in response.text


def test_symlink_inside_the_repo_is_followed(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    os.symlink(repo / "project.json", repo / "01_Assets/manifest-link.json")
    response = client.get(url(project, "01_Assets/manifest-link.json"), headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["uuid"] == project["id"]


def test_another_users_files_are_not_found(client: TestClient, bob: TestUser, project: dict[str, Any]) -> None:
    response = client.get(url(project, "project.json"), headers=bob.headers)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "project_not_found"
