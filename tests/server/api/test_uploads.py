"""POST /api/v1/projects/{id}/uploads: source media into 01_Assets/Source_Media, decoded, committed to LFS."""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas import media_types
from server.app import create_app
from server.config import Settings
from tests.conftest import make_settings
from tests.support.factories import TestUser, create_project, make_user, media_bytes, png_bytes


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(client, alice)


@pytest.fixture
def repo(settings: Settings, project: dict[str, Any]) -> Path:
    return settings.projects_dir / project["slug"]


def upload(client: TestClient, user: TestUser, project: dict[str, Any], filename: str, content: Any) -> Any:
    return client.post(
        f"/api/v1/projects/{project['id']}/uploads",
        params={"filename": filename},
        content=content,
        headers={**user.headers, "Content-Type": "application/octet-stream"},
    )


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def assert_untouched(repo: Path, commits_before: str) -> None:
    """Nothing of a refused upload is left: no file, no temporary file, no commit, nothing staged."""
    assert sorted(p.name for p in (repo / "01_Assets/Source_Media").iterdir()) == [".gitkeep"]
    assert list((repo / ".git/studio-uploads").glob("*")) == []
    assert git(repo, "rev-list", "--count", "HEAD") == commits_before
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(("filename", "kind", "socket_type"), [
    ("Opening Still.png", "image", "Image"),
    ("voice take.wav", "audio", "Audio"),
    ("reference.MP4", "video", "Video"),
])  # fmt: skip
def test_upload_is_stored_served_and_committed_to_lfs(
    client: TestClient,
    alice: TestUser,
    project: dict[str, Any],
    repo: Path,
    tmp_path: Path,
    filename: str,
    kind: str,
    socket_type: str,
) -> None:
    extension = filename.rsplit(".", 1)[1].lower()
    content = media_bytes(tmp_path, extension)
    sha256 = hashlib.sha256(content).hexdigest()
    response = upload(client, alice, project, filename, content)
    assert response.status_code == 201, response.text
    stem = filename.rsplit(".", 1)[0].replace(" ", "_")
    path = f"01_Assets/Source_Media/{stem}-{sha256[:8]}.{extension}"
    assert response.json() == {
        "path": path,
        "url": f"/api/v1/projects/{project['id']}/files/{path}",
        "sha256": sha256,
        "size": len(content),
        "kind": kind,
        "socket_type": socket_type,
    }
    served = client.get(response.json()["url"], headers=alice.headers)
    assert served.status_code == 200 and served.content == content
    assert git(repo, "log", "-1", "--format=%s|%an").strip() == f"upload: {path}|alice"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [path]
    pointer = git(repo, "cat-file", "-p", f"HEAD:{path}")
    assert pointer.startswith("version https://git-lfs.github.com/spec/v1\n")
    assert f"oid sha256:{sha256}\nsize {len(content)}\n" in pointer
    assert git(repo, "status", "--porcelain") == ""
    assert list((repo / ".git/studio-uploads").glob("*")) == []


def test_the_same_content_twice_is_one_file_and_one_commit(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, tmp_path: Path
) -> None:
    content = media_bytes(tmp_path, "png")
    first = upload(client, alice, project, "still.png", content)
    commits = git(repo, "rev-list", "--count", "HEAD")
    again = upload(client, alice, project, "still.png", content)
    assert (again.status_code, again.json()) == (201, first.json())
    assert git(repo, "rev-list", "--count", "HEAD") == commits
    other = upload(client, alice, project, "still.png", png_bytes(8, 8))
    assert other.status_code == 201
    assert other.json()["path"] != first.json()["path"]  # other content under the same name: another file
    assert sorted(p.name for p in (repo / "01_Assets/Source_Media").glob("still-*.png")) == sorted(
        [first.json()["path"].rsplit("/", 1)[1], other.json()["path"].rsplit("/", 1)[1]]
    )


def test_other_types_are_refused_with_415_naming_the_allowed_extensions(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    commits = git(repo, "rev-list", "--count", "HEAD")
    response = upload(client, alice, project, "script.pdf", b"%PDF-1.7")
    assert response.status_code == 415
    error = response.json()["error"]
    assert (error["code"], error["field"], error["allowed"]) == (
        "unsupported_media_type",
        "filename",
        list(media_types().extensions),
    )
    assert error["message"] == (
        "'script.pdf' is a .pdf file; upload an image (png, jpg, jpeg, webp), a video (mp4, mov, webm, mkv) "
        "or an audio file (wav, mp3, flac, ogg, m4a)."
    )
    assert_untouched(repo, commits)


def test_broken_media_is_refused_with_ffmpeg_s_reason_and_leaves_nothing(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, tmp_path: Path
) -> None:
    commits = git(repo, "rev-list", "--count", "HEAD")
    truncated = upload(client, alice, project, "clip.mp4", media_bytes(tmp_path, "mp4")[:300])
    assert truncated.status_code == 422
    assert truncated.json()["error"] == {
        "code": "undecodable_media",
        "message": "'clip.mp4' could not be decoded as video: moov atom not found. "
        "Upload a complete, playable .mp4 file.",
        "field": "body",
    }
    mislabelled = upload(client, alice, project, "voice.png", media_bytes(tmp_path, "wav"))
    assert mislabelled.json()["error"]["message"].startswith(
        "'voice.png' could not be decoded as image: Invalid PNG signature"
    )
    empty = upload(client, alice, project, "voice.wav", b"")
    assert (empty.status_code, empty.json()["error"]["message"]) == (
        422,
        "'voice.wav' is empty; upload the file itself.",
    )
    assert_untouched(repo, commits)


@pytest.mark.parametrize(
    ("filename", "stored"),
    [
        ("../../../escape.wav", "01_Assets/Source_Media/escape-"),
        ("/etc/cron.d/job.wav", "01_Assets/Source_Media/job-"),
        ("..\\..\\win.wav", "01_Assets/Source_Media/win-"),
    ],
)
def test_paths_in_the_filename_are_dropped(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, tmp_path: Path, filename: str, stored: str
) -> None:
    response = upload(client, alice, project, filename, media_bytes(tmp_path, "wav"))
    assert response.status_code == 201, response.text
    assert response.json()["path"].startswith(stored)
    assert (repo / response.json()["path"]).is_file()
    assert not (repo.parent / "escape.wav").exists() and not (repo.parents[1] / "escape.wav").exists()


@pytest.mark.parametrize(
    ("filename", "phrase"),
    [
        ("", "does not name a file"),
        ("..", "does not name a file"),
        ("voice\x00.wav", "contains a NUL byte"),
        ("x" * 300 + ".wav", "is 304 bytes long"),
    ],
)
def test_hostile_names_are_refused_with_422(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, filename: str, phrase: str
) -> None:
    commits = git(repo, "rev-list", "--count", "HEAD")
    response = upload(client, alice, project, filename, b"RIFF")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_filename"
    assert phrase in response.json()["error"]["message"]
    assert_untouched(repo, commits)


def test_a_missing_filename_is_named(client: TestClient, alice: TestUser, project: dict[str, Any]) -> None:
    response = client.post(f"/api/v1/projects/{project['id']}/uploads", content=b"x", headers=alice.headers)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "query.filename"


def test_only_writers_may_upload(
    client: TestClient,
    alice: TestUser,
    bob: TestUser,
    user_factory: Any,
    project: dict[str, Any],
    repo: Path,
    tmp_path: Path,
) -> None:
    carol = user_factory("carol")
    for username, role in (("bob", "viewer"), ("carol", "editor")):
        shared = client.put(
            f"/api/v1/projects/{project['id']}/members",
            json={"username": username, "role": role},
            headers=alice.headers,
        )
        assert shared.status_code == 200, shared.text
    commits = git(repo, "rev-list", "--count", "HEAD")
    content = media_bytes(tmp_path, "wav")
    viewer = upload(client, bob, project, "voice.wav", content)
    assert (viewer.status_code, viewer.json()["error"]["code"]) == (403, "permission_denied")
    stranger = upload(client, user_factory("dave"), project, "voice.wav", content)
    assert (stranger.status_code, stranger.json()["error"]["code"]) == (404, "project_not_found")
    anonymous = client.post(f"/api/v1/projects/{project['id']}/uploads", params={"filename": "v.wav"}, content=content)
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (401, "not_authenticated")
    assert_untouched(repo, commits)
    editor = upload(client, carol, project, "voice.wav", content)
    assert editor.status_code == 201
    assert git(repo, "log", "-1", "--format=%an").strip() == "carol"


def test_every_uploadable_extension_goes_to_lfs_in_a_new_project(repo: Path) -> None:
    for extension in media_types().extensions:
        path = f"01_Assets/Source_Media/x-0123abcd.{extension}"
        assert git(repo, "check-attr", "filter", "--", path).strip() == f"{path}: filter: lfs"


def test_a_project_that_keeps_an_extension_out_of_lfs_is_told_how_to_fix_it(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, tmp_path: Path
) -> None:
    attributes = repo / ".gitattributes"
    attributes.write_text(
        "".join(line for line in attributes.read_text().splitlines(keepends=True) if not line.startswith("*.wav"))
    )
    git(repo, "commit", "-q", "-m", "no wav in lfs", "--", ".gitattributes")
    commits = git(repo, "rev-list", "--count", "HEAD")
    response = upload(client, alice, project, "voice.wav", media_bytes(tmp_path, "wav"))
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "not_in_lfs",
        "message": "This project's .gitattributes does not send .wav files to Git LFS; add the line "
        "'*.wav filter=lfs diff=lfs merge=lfs -text' to .gitattributes, commit it, and upload again.",
        "field": "filename",
    }
    assert_untouched(repo, commits)


def test_uploads_have_their_own_size_limit_declared_or_streamed(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "ws", database_url=f"sqlite:///{tmp_path / 'db'}", upload_max_bytes=4000)
    with TestClient(create_app(settings)) as client:
        alice = make_user(client, client.app.state.engine, "alice")  # type: ignore[attr-defined]
        project = create_project(client, alice)
        repo = settings.projects_dir / project["slug"]
        commits = git(repo, "rev-list", "--count", "HEAD")
        declared = upload(client, alice, project, "voice.wav", b"\x00" * 4001)
        assert declared.status_code == 413
        assert declared.json()["error"]["code"] == "payload_too_large"
        assert "larger than the 4000 bytes limit (STUDIO_UPLOAD_MAX_BYTES)" in declared.json()["error"]["message"]

        def chunks() -> Iterator[bytes]:
            for _ in range(5):
                yield b"\x00" * 1000

        streamed = upload(client, alice, project, "voice.wav", chunks())
        assert streamed.status_code == 413
        assert streamed.json()["error"]["code"] == "payload_too_large"
        assert "4000 bytes limit (STUDIO_UPLOAD_MAX_BYTES)" in streamed.json()["error"]["message"]
        assert_untouched(repo, commits)
        small = upload(client, alice, project, "still.png", media_bytes(tmp_path, "png"))
        assert small.status_code == 201, small.text
