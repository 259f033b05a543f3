"""Pushed content cannot make the server write elsewhere, redirect LFS, smuggle pointers or steal an id.

Alice owns the project she pushes to; Bob's project next door ('Bob Film') must stay exactly as it was.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from server.db.tables import Project
from server.gitserve.client_env import basic_authorization
from server.projects.git import GitRepo
from server.projects.index import reindex
from tests.server.assembly.media import TakeRepo, sequence_graph
from tests.support.factories import PASSWORD, TestUser, create_project
from tests.support.git_client import GitClient, random_bytes, sha256_hex, write

EDLS = "04_Project_Files/EDLs"


@pytest.fixture
def neighbour(app: FastAPI, client: TestClient, bob: TestUser) -> dict[str, Any]:
    """Bob's project, with a file his own server-side commits put there."""
    created = create_project(client, bob, "Bob Film")
    root = app.state.settings.projects_dir / created["slug"]
    (root / EDLS / "bob.edl").write_text("TITLE: Bob's cut\n")
    return {**created, "root": root}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }


def _refused(git: GitClient, work: Path, *expected: str) -> str:
    # --no-verify skips git-lfs's own pre-push checks, as a client without git-lfs (or a hostile one) would.
    pushed = git.run("push", "--no-verify", "origin", "main", cwd=work, check=False)
    assert pushed.returncode != 0, pushed.stderr
    for words in expected:
        assert words in pushed.stderr, pushed.stderr
    return pushed.stderr


def test_a_pushed_symlink_is_refused_and_no_server_write_follows_it(
    app: FastAPI,
    repo_url: str,
    alice_git: GitClient,
    alice: TestUser,
    client: TestClient,
    project: dict[str, Any],
    neighbour: dict[str, Any],
    tmp_path: Path,
) -> None:
    # A sequence of one take, so that an export writes EDLs.
    served = TakeRepo(GitRepo(app.state.settings.projects_dir / project["slug"]))
    graph = sequence_graph([served.add_take(10, "red", 6, audio=None)])
    saved = client.put(
        f"/api/v1/projects/{project['id']}", json={"version": project["version"], "graph": graph}, headers=alice.headers
    )
    assert saved.status_code == 200, saved.text
    before = _snapshot(neighbour["root"])
    work = alice_git.clone(repo_url, tmp_path / "work")
    alice_git.run("rm", "-rq", EDLS, cwd=work)
    os.symlink(f"../../{neighbour['slug']}/{EDLS}", work / EDLS)  # the EDL folder, pointing at Bob's
    alice_git.run("add", "-A", cwd=work)
    alice_git.run("commit", "-qm", "link", cwd=work)

    _refused(alice_git, work, "symbolic links", EDLS)

    assert not (served.root / EDLS).is_symlink()
    exported = client.post(f"/api/v1/projects/{project['id']}/sequences/seq/export", headers=alice.headers)
    assert exported.status_code == 200, exported.text
    assert (served.root / exported.json()["otio_path"]).is_file()  # written where it belongs
    assert _snapshot(neighbour["root"]) == before


def test_a_pushed_lfsconfig_is_refused(
    app: FastAPI, repo_url: str, alice_git: GitClient, project: dict[str, Any], tmp_path: Path
) -> None:
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    head = served.run("rev-parse", "HEAD")
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / ".lfsconfig", '[lfs]\n\turl = "http://127.0.0.1:9/steal"\n')
    alice_git.run("add", ".lfsconfig", cwd=work)
    alice_git.run("commit", "-qm", "lfs elsewhere", cwd=work)

    _refused(alice_git, work, ".lfsconfig")

    assert served.run("rev-parse", "HEAD") == head
    assert not (served.root / ".lfsconfig").exists()


def test_server_side_git_lfs_ignores_an_lfsconfig_in_the_working_tree(app: FastAPI, project: dict[str, Any]) -> None:
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    (served.root / ".lfsconfig").write_text('[lfs]\n\turl = "http://127.0.0.1:9/steal"\n')
    environment = served.run("lfs", "env")
    assert "127.0.0.1:9" not in environment
    assert "studio-serves-lfs-itself" in environment


@pytest.mark.parametrize(
    "pointer",
    [
        "version https://hawser.github.com/spec/v1\noid sha256:{oid}\nsize {size}\n",  # the pre-1.0 spec
        "version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\nsize {size}\nx-extra 1\n",
        "version https://git-lfs.github.com/spec/v1\next-0-foo sha256:{oid}\noid sha256:{oid}\nsize {size}\n",
    ],
)
def test_pointers_in_another_format_are_refused(
    app: FastAPI, repo_url: str, alice_git: GitClient, project: dict[str, Any], tmp_path: Path, pointer: str
) -> None:
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    head = served.run("rev-parse", "HEAD")
    data = random_bytes(2000, seed=51)
    # The object itself is uploaded to the project, so only the pointer's format is in question.
    uploaded = httpx.put(
        f"{repo_url}/info/lfs/objects/{sha256_hex(data)}",
        content=data,
        headers={"Authorization": basic_authorization("alice", PASSWORD)},
    )
    assert uploaded.status_code == 200
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "02_Source_Creative/Scripts/odd.txt", pointer.format(oid=sha256_hex(data), size=len(data)))
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "odd pointer", cwd=work)

    _refused(alice_git, work, "another format", "spec/v1")

    assert served.run("rev-parse", "HEAD") == head


def test_a_pushed_project_json_cannot_take_another_projects_id(
    app: FastAPI,
    repo_url: str,
    alice_git: GitClient,
    project: dict[str, Any],
    neighbour: dict[str, Any],
    tmp_path: Path,
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    manifest = json.loads((work / "project.json").read_text())
    write(work / "project.json", json.dumps({**manifest, "uuid": neighbour["id"]}, indent=2))
    alice_git.run("commit", "-qam", "take bob's id", cwd=work)

    _refused(alice_git, work, "uuid", neighbour["id"])

    served = app.state.settings.projects_dir / project["slug"]
    assert json.loads((served / "project.json").read_text())["uuid"] == project["id"]


def test_reindex_keeps_the_databases_ids_whatever_a_project_json_says(
    app: FastAPI, project: dict[str, Any], neighbour: dict[str, Any], user_factory: Any
) -> None:
    user_factory("root", admin=True)
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    manifest = json.loads((served.root / "project.json").read_text())
    # As a push accepted before this check, or a copied folder, would have left it.
    (served.root / "project.json").write_text(json.dumps({**manifest, "uuid": neighbour["id"]}, indent=2))

    with Session(app.state.engine) as session:
        report = reindex(session, app.state.settings)
        mine, bobs = session.get(Project, project["id"]), session.get(Project, neighbour["id"])

    assert mine is not None and mine.slug == project["slug"]
    assert bobs is not None and (bobs.slug, bobs.title) == (neighbour["slug"], "Bob Film")
    assert report.removed == []
