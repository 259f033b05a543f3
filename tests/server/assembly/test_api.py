"""The assembly routes: export a Sequence, import an edit onto it, and refuse a render without a worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest
from fastapi.testclient import TestClient

from server.assembly.exports import edl_text
from server.config import Settings
from server.projects.git import GitRepo
from tests.server.assembly.media import TakeRepo, sequence_graph
from tests.support.factories import TestUser, create_project


@pytest.fixture
def project(client: TestClient, alice: TestUser, settings: Settings) -> dict[str, Any]:
    project = create_project(client, alice)
    repo = TakeRepo(GitRepo(settings.projects_dir / project["slug"]))
    paths = [repo.add_take(10, "red", 14, audio=None), repo.add_take(20, "green", 12, audio=None)]
    saved = client.put(
        f"/api/v1/projects/{project['id']}",
        json={"version": project["version"], "graph": sequence_graph(paths)},
        headers=alice.headers,
    )
    assert saved.status_code == 200, saved.text
    return {**project, "root": repo.root}


def test_export_writes_and_commits_edl_otio_and_xml(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    response = client.post(f"/api/v1/projects/{project['id']}/sequences/seq/export", headers=alice.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["warnings"] == [] and body["commit"]
    root: Path = project["root"]
    edl = (root / body["edl_path"]).read_text()
    assert "010V1T01" in edl and "020V1T01" in edl


def test_import_reorders_the_sequence_as_a_graph_edit(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    root: Path = project["root"]
    exported = client.post(f"/api/v1/projects/{project['id']}/sequences/seq/export", headers=alice.headers).json()
    timeline = otio.adapters.read_from_file(str(root / exported["otio_path"]))
    video = timeline.tracks[0]
    first, second = video[0].clone(), video[1].clone()
    first.source_range = otio.opentime.TimeRange(otio.opentime.RationalTime(2, 24), otio.opentime.RationalTime(10, 24))
    video[:] = [second, first]
    response = client.post(
        f"/api/v1/projects/{project['id']}/sequences/seq/import",
        files={"file": ("edited.edl", edl_text(timeline).encode(), "text/plain")},
        headers=alice.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["timeline"] == [
        {"node_id": "shot-1", "trim_in": 0, "trim_out": 0, "audio_offset": 0},
        {"node_id": "shot-0", "trim_in": 2, "trim_out": 2, "audio_offset": 0},
    ]
    graph = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()["graph"]
    sequence = next(n for n in graph["nodes"] if n["id"] == "seq")
    assert [e["node_id"] for e in sequence["data"]["timeline"]] == ["shot-1", "shot-0"]


def test_import_of_another_format_is_refused_with_the_formats(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    response = client.post(
        f"/api/v1/projects/{project['id']}/sequences/seq/import",
        files={"file": ("cut.aaf", b"...", "application/octet-stream")},
        headers=alice.headers,
    )
    assert response.status_code == 422
    assert ".edl, .otio or .xml" in response.json()["error"]["message"]


def test_assemble_without_a_worker_says_how_to_get_one(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    response = client.post(f"/api/v1/projects/{project['id']}/assemble", json={"node_id": "seq"}, headers=alice.headers)
    assert response.status_code == 422
    assert "studio up" in response.json()["error"]["message"]


def test_import_without_a_file_says_how_to_send_it(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    response = client.post(f"/api/v1/projects/{project['id']}/sequences/seq/import", headers=alice.headers)
    assert response.status_code == 422
    assert "multipart form field 'file'" in response.json()["error"]["message"]
