"""A push made on an older canvas never silently replaces live edits: it is refused and the pusher pulls them."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio
from fastapi.testclient import TestClient

from server.config import Settings
from tests.conftest import make_settings
from tests.support.factories import TestUser
from tests.support.git_client import GitClient, write
from tests.support.inprocess_server import InProcessServer

CANVAS = "02_Source_Creative/Canvases/main_canvas.json"


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # No autosave during the test: the live edit exists only in the database, as in the first seconds after it.
    return make_settings(tmp_path / "workspace", database_url=database_url, autosave_seconds=3600)


@pytest.fixture
def canvas_socket(live: InProcessServer, alice: TestUser, project: dict[str, Any]) -> Iterator[socketio.Client]:
    # The in-process server speaks no WebSocket: long-polling is the same channel.
    client = socketio.Client(reconnection=False)
    client.connect(
        live.url,
        auth={"token": alice.token, "project_id": project["id"]},
        socketio_path="/ws/socket.io",
        transports=["polling"],
        wait_timeout=10,
    )
    yield client
    client.disconnect()


def _shot(node_id: str) -> dict[str, Any]:
    return {"id": node_id, "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {"prompt": node_id}}


def test_a_push_on_an_older_canvas_is_refused_and_the_live_edit_kept(
    repo_url: str,
    alice_git: GitClient,
    canvas_socket: socketio.Client,
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    tmp_path: Path,
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")  # the canvas at version 1
    ack = canvas_socket.call("client:add_node", {"version": project["version"], "node": _shot("live")}, timeout=10)
    assert ack == {"ok": True, "version": project["version"] + 1}
    graph = json.loads((work / CANVAS).read_text())
    write(work / CANVAS, json.dumps({**graph, "nodes": [_shot("pushed")]}, indent=2))
    alice_git.run("commit", "-qam", "canvas: my version", cwd=work)

    pushed = alice_git.run("push", "origin", "main", cwd=work, check=False)

    assert pushed.returncode != 0
    assert "fetch first" in pushed.stderr or "git pull" in pushed.stderr, pushed.stderr
    live = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert [n["id"] for n in live["graph"]["nodes"]] == ["live"]
    assert live["version"] == project["version"] + 1
    # The pull brings the live edit, and a push made on it is taken.
    alice_git.run("fetch", "-q", "origin", cwd=work)
    theirs = json.loads(alice_git.run("show", f"origin/main:{CANVAS}", cwd=work).stdout)
    assert [n["id"] for n in theirs["nodes"]] == ["live"]
    alice_git.run("reset", "-q", "--hard", "origin/main", cwd=work)
    write(work / CANVAS, json.dumps({**theirs, "nodes": [*theirs["nodes"], _shot("pushed")]}, indent=2))
    alice_git.run("commit", "-qam", "canvas: on the live version", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)
    merged = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert [n["id"] for n in merged["graph"]["nodes"]] == ["live", "pushed"]


def test_a_push_racing_a_save_is_refused_with_a_sentence(
    repo_url: str,
    live: InProcessServer,
    alice_git: GitClient,
    alice: TestUser,
    client: TestClient,
    project: dict[str, Any],
    tmp_path: Path,
) -> None:
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / "02_Source_Creative/Scripts/notes.txt", "notes\n")
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "notes", cwd=work)
    # Between git reading the refs and sending the push, someone saves the canvas (a new commit).
    graph = {"schema_version": 1, "nodes": [_shot("saved")], "edges": []}
    save = {"version": project["version"], "graph": graph}
    hook = work / ".git" / "hooks" / "pre-push"
    hook.write_text(
        f"#!/bin/sh\nexec {sys.executable} -c 'import httpx, json, sys; httpx.put(sys.argv[1], "
        f'json=json.loads(sys.argv[2]), headers={{"Authorization": sys.argv[3]}}).raise_for_status()\' '
        f"{live.url}/api/v1/projects/{project['id']} '{json.dumps(save)}' 'Bearer {alice.token}'\n"
    )
    hook.chmod(0o755)

    pushed = alice_git.run("push", "origin", "main", cwd=work, check=False)

    assert pushed.returncode != 0
    assert "changed on the server while you worked" in pushed.stderr and "git pull" in pushed.stderr
    saved = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert [n["id"] for n in saved["graph"]["nodes"]] == ["saved"]
