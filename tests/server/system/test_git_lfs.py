"""Without git-lfs the studio refuses to create or open projects, and says how to install it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.app import create_app
from server.system.git_lfs import check_git_lfs, install_command
from tests.conftest import make_settings
from tests.support.factories import create_project, make_user


@pytest.fixture
def path_without_git_lfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH holding the real git but no git-lfs: what a machine without LFS looks like."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    git = shutil.which("git")
    assert git is not None
    (bin_dir / "git").symlink_to(git)
    # git finds its own helpers in its exec path, but looks git-lfs up on PATH.
    monkeypatch.setenv("PATH", str(bin_dir))


def test_check_reports_the_installed_version() -> None:
    status = check_git_lfs()
    assert status.available
    assert status.version is not None and status.version.startswith("git-lfs/")


def test_install_command_matches_this_debian_machine() -> None:
    assert install_command() == "sudo apt-get install git-lfs && git lfs install"


def test_missing_git_lfs_blocks_projects_and_health_says_why(tmp_path: Path, path_without_git_lfs: None) -> None:
    status = check_git_lfs()
    assert not status.available
    assert "apt-get install git-lfs" in status.message
    settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    with TestClient(create_app(settings)) as client:
        alice = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
        created = client.post("/api/v1/projects", json={"name": "Film"}, headers=alice.headers)
        assert created.status_code == 503
        assert created.json()["error"]["code"] == "git_lfs_missing"
        assert "install it with `sudo apt-get install git-lfs" in created.json()["error"]["message"].lower()
        health = client.get("/api/v1/system/health", headers=alice.headers).json()
        assert health["status"] == "degraded"
        assert health["git_lfs"]["ok"] is False
        assert "Git LFS is not installed" in health["git_lfs"]["message"]
    assert list((tmp_path / "ws" / "Projects").iterdir()) == []


def test_existing_project_cannot_be_opened_without_git_lfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db.sqlite'}")
    with TestClient(create_app(settings)) as client:
        alice = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
        project = create_project(client, alice)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(shutil.which("git") or "git")
    monkeypatch.setenv("PATH", str(bin_dir))
    with TestClient(create_app(settings)) as client:
        response = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers)
        assert response.status_code == 503
