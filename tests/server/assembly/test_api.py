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


def _edited_edl(client: TestClient, alice: TestUser, project: dict[str, Any]) -> bytes:
    """The sequence as an editor sends it back: the clips swapped, the first retrimmed to source frames 2-11."""
    root: Path = project["root"]
    exported = client.post(f"/api/v1/projects/{project['id']}/sequences/seq/export", headers=alice.headers).json()
    timeline = otio.adapters.read_from_file(str(root / exported["otio_path"]))
    video = timeline.tracks[0]
    first, second = video[0].clone(), video[1].clone()
    first.source_range = otio.opentime.TimeRange(otio.opentime.RationalTime(2, 24), otio.opentime.RationalTime(10, 24))
    video[:] = [second, first]
    return edl_text(timeline).encode()


def test_an_import_is_previewed_then_applied_as_a_graph_edit_on_the_previewed_version(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    url = f"/api/v1/projects/{project['id']}/sequences/seq/import"
    edl = _edited_edl(client, alice, project)
    version = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()["version"]
    preview = client.post(
        f"{url}?dry_run=true", files={"file": ("edited.edl", edl, "text/plain")}, headers=alice.headers
    )
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert (body["format"], body["version"], body["applicable"], body["order_changed"]) == ("edl", version, True, True)
    assert [(m["node_id"], m["trim_in"], m["trim_out"], m["previous_index"]) for m in body["matched"]] == [
        ("shot-1", 0, 0, 1),
        ("shot-0", 2, 2, 0),
    ]
    assert body["unmatched"] == [] and body["removed"] == []
    unchanged = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()
    assert unchanged["version"] == version  # a preview changes nothing
    applied = client.post(
        f"{url}?version={version}", files={"file": ("edited.edl", edl, "text/plain")}, headers=alice.headers
    )
    assert applied.status_code == 200, applied.text
    expected = [
        {"node_id": "shot-1", "trim_in": 0, "trim_out": 0, "audio_offset": 0},
        {"node_id": "shot-0", "trim_in": 2, "trim_out": 2, "audio_offset": 0},
    ]
    assert applied.json()["timeline"] == expected
    assert body["timeline"] == [{**clip, "volume": 1.0} for clip in expected]  # the preview spells the default out
    graph = client.get(f"/api/v1/projects/{project['id']}", headers=alice.headers).json()["graph"]
    sequence = next(n for n in graph["nodes"] if n["id"] == "seq")
    assert [e["node_id"] for e in sequence["data"]["timeline"]] == ["shot-1", "shot-0"]
    stale = client.post(
        f"{url}?version={version}", files={"file": ("edited.edl", edl, "text/plain")}, headers=alice.headers
    )
    assert stale.status_code == 409


def test_a_preview_names_clips_that_match_no_take_and_applying_them_is_refused(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    url = f"/api/v1/projects/{project['id']}/sequences/seq/import"
    edl = (
        _edited_edl(client, alice, project)
        .replace(b"SHOT-020_v01_take01", b"B-ROLL_07")
        .replace(b"020V1T01", b"BROLL07")
    )
    preview = client.post(f"{url}?dry_run=true", files={"file": ("e.edl", edl, "text/plain")}, headers=alice.headers)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["applicable"] is False and [u["name"] for u in body["unmatched"]] == ["B-ROLL_07"]
    assert body["removed"] == ["shot-1"]
    applied = client.post(
        f"{url}?version={body['version']}", files={"file": ("e.edl", edl, "text/plain")}, headers=alice.headers
    )
    assert applied.status_code == 422 and "B-ROLL_07" in applied.json()["error"]["message"]


@pytest.mark.parametrize(
    ("extension", "media_type"), [("edl", "text/plain"), ("otio", "application/json"), ("xml", "application/xml")]
)
def test_each_export_downloads_from_the_live_graph_without_a_commit(
    client: TestClient, alice: TestUser, project: dict[str, Any], extension: str, media_type: str
) -> None:
    root: Path = project["root"]
    head = GitRepo(root).run("rev-parse", "HEAD").strip()
    response = client.get(f"/api/v1/projects/{project['id']}/sequences/seq/export.{extension}", headers=alice.headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"] == f'attachment; filename="seq.{extension}"'
    adapter = {"edl": "cmx_3600", "otio": "otio_json", "xml": "fcp_xml"}[extension]
    back = otio.adapters.read_from_string(response.text, adapter)
    assert [c.name for c in back.find_clips()][:2] == ["SHOT-010_v01_take01", "SHOT-020_v01_take01"]
    assert GitRepo(root).run("rev-parse", "HEAD").strip() == head
    unknown = client.get(f"/api/v1/projects/{project['id']}/sequences/seq/export.aaf", headers=alice.headers)
    assert unknown.status_code == 422


def test_a_node_without_renders_lists_none_and_a_stranger_gets_404(
    client: TestClient, alice: TestUser, bob: TestUser, project: dict[str, Any]
) -> None:
    url = f"/api/v1/projects/{project['id']}/nodes/seq/renders"
    assert client.get(url, headers=alice.headers).json() == []
    assert client.get(url, headers=bob.headers).status_code == 404


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
    url = f"/api/v1/projects/{project['id']}/sequences/seq/import"
    response = client.post(f"{url}?dry_run=true", headers=alice.headers)
    assert response.status_code == 422
    assert "multipart form field 'file'" in response.json()["error"]["message"]


def test_validate_warns_of_each_clip_the_sequence_conforms(
    client: TestClient, alice: TestUser, settings: Settings
) -> None:
    project = create_project(client, alice, name="Mixed")
    repo = TakeRepo(GitRepo(settings.projects_dir / project["slug"]))
    paths = [repo.add_take(10, "red", 6, fps=12, audio=None), repo.add_take(20, "green", 12, audio=None)]
    graph = sequence_graph(paths, conform="blend")
    saved = client.put(
        f"/api/v1/projects/{project['id']}", json={"version": project["version"], "graph": graph}, headers=alice.headers
    )
    assert saved.status_code == 200, saved.text
    report = client.post(f"/api/v1/projects/{project['id']}/validate", headers=alice.headers).json()
    conformed = [i for i in report["issues"] if i["code"] == "sequence_conform"]
    assert [(i["node_id"], i["severity"], i["message"]) for i in conformed] == [
        ("seq", "warning", "Clip 0 (12 fps) is conformed to 24 fps by frame blending.")
    ]
