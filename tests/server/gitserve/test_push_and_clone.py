"""Clone, push and pull a project with the real git client against the live server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.factories import TestUser
from tests.support.git_client import GitClient, random_bytes, write
from tests.support.recording_sink import RecordingSink

CANVAS = "02_Source_Creative/Canvases/main_canvas.json"


def _shot_graph() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "nodes": [{"id": "shot-1", "type": "ShotNode", "position": {"x": 10, "y": 20}, "data": {"prompt": "a"}}],
        "edges": [],
        "viewport": {"x": 0, "y": 0, "zoom": 1},
    }


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_a_pushed_canvas_becomes_a_new_version_and_is_broadcast(
    repo_url: str,
    alice_git: GitClient,
    tmp_path: Path,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    events: RecordingSink,
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / CANVAS, json.dumps(_shot_graph(), indent=2))
    alice_git.run("commit", "-qam", "canvas: add a shot", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)

    saved = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert saved["version"] == project["version"] + 1
    assert [node["id"] for node in saved["graph"]["nodes"]] == ["shot-1"]
    assert events.published == [
        (project["id"], "server:full_sync", {"graph": saved["graph"], "version": saved["version"]})
    ]
    served = Path(client.app.state.settings.projects_dir) / project["slug"]  # type: ignore[attr-defined]
    assert json.loads((served / CANVAS).read_text())["nodes"][0]["id"] == "shot-1"  # working tree followed


def test_a_push_renaming_the_project_updates_its_title(
    repo_url: str,
    alice_git: GitClient,
    tmp_path: Path,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    manifest = json.loads((work / "project.json").read_text())
    write(work / "project.json", json.dumps({**manifest, "title": "Renamed Film"}, indent=2))
    alice_git.run("commit", "-qam", "project: rename", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)

    saved = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert (saved["name"], saved["version"]) == ("Renamed Film", project["version"] + 1)


def test_a_push_that_leaves_project_files_alone_keeps_the_version(
    repo_url: str,
    alice_git: GitClient,
    tmp_path: Path,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    events: RecordingSink,
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "02_Source_Creative/Scripts/scene1.txt", "INT. KITCHEN - NIGHT\n")
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "script", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)

    assert client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()["version"] == 1
    assert events.published == []


def test_an_invalid_canvas_is_refused_with_the_reason(repo_url: str, alice_git: GitClient, tmp_path: Path) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / CANVAS, json.dumps({"schema_version": 1, "nodes": [{"id": "x"}], "edges": []}))
    alice_git.run("commit", "-qam", "broken canvas", cwd=work)
    pushed = alice_git.run("push", "origin", "main", cwd=work, check=False)
    assert pushed.returncode != 0
    assert "invalid project file" in pushed.stderr and "pre-receive hook declined" in pushed.stderr


def test_a_non_fast_forward_push_is_rejected(repo_url: str, alice_git: GitClient, tmp_path: Path) -> None:
    first = alice_git.clone(repo_url, tmp_path / "first")
    second = alice_git.clone(repo_url, tmp_path / "second")
    write(first / "02_Source_Creative/Scripts/a.txt", "a\n")
    alice_git.run("add", ".", cwd=first)
    alice_git.run("commit", "-qm", "a", cwd=first)
    alice_git.run("push", "-q", "origin", "main", cwd=first)
    write(second / "02_Source_Creative/Scripts/b.txt", "b\n")
    alice_git.run("add", ".", cwd=second)
    alice_git.run("commit", "-qm", "b", cwd=second)

    forced = alice_git.run("push", "--force", "origin", "main", cwd=second, check=False)
    assert forced.returncode != 0
    assert "non-fast-forward" in forced.stderr
    log = alice_git.run("ls-remote", "origin", "refs/heads/main", cwd=first).stdout.split()[0]
    assert log == alice_git.run("rev-parse", "HEAD", cwd=first).stdout.strip()


def test_objects_failing_fsck_are_refused(repo_url: str, alice_git: GitClient, tmp_path: Path) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    tree = alice_git.run("rev-parse", "HEAD^{tree}", cwd=work).stdout.strip()
    parent = alice_git.run("rev-parse", "HEAD", cwd=work).stdout.strip()
    # An author line without an email: git's own commit never writes it; fsck calls it missingEmail.
    who = "Nobody 1700000000 +0000"
    bad = f"tree {tree}\nparent {parent}\nauthor {who}\ncommitter {who}\n\nx\n"
    commit = alice_git.run(
        "hash-object", "-t", "commit", "-w", "--literally", "--stdin", cwd=work, check=True, input_text=bad
    ).stdout.strip()
    pushed = alice_git.run("push", "origin", f"{commit}:refs/heads/main", cwd=work, check=False)
    assert pushed.returncode != 0
    assert "missingEmail" in pushed.stderr and "fsck error" in pushed.stderr


def test_protocol_v2_is_passed_through(repo_url: str, alice_git: GitClient, tmp_path: Path) -> None:
    listed = alice_git.run("-c", "protocol.version=2", "ls-remote", repo_url, cwd=tmp_path, GIT_TRACE_PACKET="1")
    assert "version 2" in listed.stderr  # the server answered in protocol v2
    assert "refs/heads/main" in listed.stdout


def test_a_large_plain_git_push_is_streamed_in_chunks(
    app: Any, repo_url: str, alice_git: GitClient, tmp_path: Path, project: dict[str, Any]
) -> None:
    # Above http.postBuffer (1 MiB) git sends the pack with Transfer-Encoding: chunked, no Content-Length.
    data = random_bytes(3 * 1024 * 1024, seed=7)
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "04_Project_Files/EDLs/big.edl", data)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "big plain file", cwd=work)
    pushed = alice_git.run("push", "origin", "main", cwd=work, GIT_TRACE_CURL="1", GIT_TRACE_CURL_NO_DATA="1")
    assert "Transfer-Encoding: chunked" in pushed.stderr
    served = app.state.settings.projects_dir / project["slug"]
    assert (served / "04_Project_Files/EDLs/big.edl").read_bytes() == data
