"""/api/v1/projects/{id}/assets: assets as folders of the project repo, every change one commit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from server.config import Settings
from tests.support.factories import TestUser, create_project, png_bytes

CHARACTERS = "01_Assets/Generative_Assets/Characters"


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(client, alice)


@pytest.fixture
def repo(settings: Settings, project: dict[str, Any]) -> Path:
    return settings.projects_dir / project["slug"]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def assets_url(project: dict[str, Any], *rest: str) -> str:
    return "/".join([f"/api/v1/projects/{project['id']}/assets", *rest])


def create(client: TestClient, user: TestUser, project: dict[str, Any], **fields: Any) -> Any:
    body = {"kind": "Character", "name": "Mara Voss", "trigger_word": "sks_mara", "description": "keeper", **fields}
    return client.post(assets_url(project), json=body, headers=user.headers)


def upload_images(
    client: TestClient, user: TestUser, project: dict[str, Any], asset_id: str, files: list[tuple[str, bytes]]
) -> Any:
    parts = [("files", (name, content, "application/octet-stream")) for name, content in files]
    return client.post(assets_url(project, asset_id, "images"), files=parts, headers=user.headers)


def test_create_writes_asset_json_in_its_folder_in_one_commit(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    commits = int(git(repo, "rev-list", "--count", "HEAD"))
    response = create(client, alice, project)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["folder"] == f"{CHARACTERS}/Mara_Voss"
    document = json.loads((repo / CHARACTERS / "Mara_Voss/asset.json").read_text())
    assert document == body["asset"]
    assert (document["kind"], document["name"], document["trigger_word"]) == ("Character", "Mara Voss", "sks_mara")
    assert document["reference_images"] == [] and document["versions"] == []
    assert int(git(repo, "rev-list", "--count", "HEAD")) == commits + 1
    assert git(repo, "log", "-1", "--format=%s") == "asset: create Character 'Mara Voss'\n"
    assert git(repo, "status", "--porcelain") == ""
    listed = client.get(assets_url(project), headers=alice.headers).json()
    assert [a["asset"]["uuid"] for a in listed] == [document["uuid"]]
    assert client.get(assets_url(project, document["uuid"]), headers=alice.headers).json() == body


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "mara voss", "trigger_word": "other"}, "name", "already has an asset named 'Mara Voss'"),
        ({"name": "Someone", "trigger_word": "SKS_MARA"}, "trigger_word", "'SKS_MARA' is already used by 'Mara Voss'"),
    ],
)
def test_names_and_trigger_words_are_unique_whatever_the_case(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, fields: Any, field: str, words: str
) -> None:
    assert create(client, alice, project).status_code == 201
    commits = git(repo, "rev-list", "--count", "HEAD")
    response = create(client, alice, project, kind="Prop", **fields)
    assert response.status_code == 409
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("duplicate_name", field)
    assert words in error["message"]
    assert git(repo, "rev-list", "--count", "HEAD") == commits


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"name": "../../etc"}, "name"), ({"name": " "}, "name"), ({"trigger_word": "two words"}, "trigger_word")],
)
def test_bad_names_get_a_sentence(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, fields: Any, field: str
) -> None:
    response = create(client, alice, project, **fields)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == field and "use " in error["message"]
    assert sorted(p.name for p in (repo / CHARACTERS).iterdir()) == [".gitkeep"]


def test_images_are_checked_committed_to_lfs_and_removable(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    asset_id = create(client, alice, project).json()["asset"]["uuid"]
    front, side = png_bytes(64, 48, (200, 10, 10)), png_bytes(32, 32, (10, 200, 10))
    response = upload_images(client, alice, project, asset_id, [("front.png", front), ("side view.png", side)])
    assert response.status_code == 200, response.text
    images = response.json()["asset"]["reference_images"]
    assert [(i["width"], i["height"]) for i in images] == [(64, 48), (32, 32)]
    assert [i["file"].split("-")[0] for i in images] == ["refs/front", "refs/side_view"]
    folder = f"{CHARACTERS}/Mara_Voss"
    assert (repo / folder / images[0]["file"]).read_bytes() == front
    assert git(repo, "log", "-1", "--format=%s") == "asset: add images to 'Mara Voss'\n"
    lfs = git(repo, "lfs", "ls-files", "--name-only").split()
    assert sorted(lfs) == sorted(f"{folder}/{i['file']}" for i in images)
    # The same content again is kept once.
    again = upload_images(client, alice, project, asset_id, [("copy.png", front)]).json()
    assert len(again["asset"]["reference_images"]) == 2
    captioned = client.put(
        assets_url(project, asset_id), json={"captions": {images[1]["file"]: "in profile"}}, headers=alice.headers
    ).json()
    assert captioned["asset"]["reference_images"][1]["caption"] == "in profile"
    removed = client.delete(
        assets_url(project, asset_id, "images"), params={"file": images[0]["file"]}, headers=alice.headers
    )
    assert [i["file"] for i in removed.json()["asset"]["reference_images"]] == [images[1]["file"]]
    assert not (repo / folder / images[0]["file"]).exists()
    assert git(repo, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ([("notes.txt", b"hello")], 415, "unsupported_media_type"),
        ([("fine.png", png_bytes()), ("broken.png", b"\x89PNG\r\n\x1a\nnot really")], 422, "undecodable_media"),
        ([("voice.wav", b"RIFF")], 415, "unsupported_media_type"),
    ],
)
def test_a_refused_image_keeps_nothing(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path, files: Any, status: int, code: str
) -> None:
    asset_id = create(client, alice, project).json()["asset"]["uuid"]
    commits = git(repo, "rev-list", "--count", "HEAD")
    response = upload_images(client, alice, project, asset_id, files)
    assert response.status_code == status, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"].endswith(".")
    assert git(repo, "rev-list", "--count", "HEAD") == commits
    assert not (repo / CHARACTERS / "Mara_Voss/refs").exists()
    assert list((repo / ".git/studio-uploads").glob("*")) == []
    assert git(repo, "status", "--porcelain") == ""


def test_rename_keeps_the_folder_and_delete_removes_it(
    client: TestClient, alice: TestUser, project: dict[str, Any], repo: Path
) -> None:
    asset_id = create(client, alice, project).json()["asset"]["uuid"]
    renamed = client.put(
        assets_url(project, asset_id), json={"name": "Mara", "trigger_word": "mara_v"}, headers=alice.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["folder"] == f"{CHARACTERS}/Mara_Voss"
    assert renamed.json()["asset"]["name"] == "Mara"
    assert client.delete(assets_url(project, asset_id), headers=alice.headers).status_code == 204
    assert not (repo / CHARACTERS / "Mara_Voss").exists()
    assert git(repo, "log", "-1", "--format=%s") == "asset: delete 'Mara'\n"
    assert git(repo, "status", "--porcelain") == ""
    missing = client.get(assets_url(project, asset_id), headers=alice.headers)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "asset_not_found")


def test_a_viewer_reads_but_cannot_change(
    client: TestClient, alice: TestUser, bob: TestUser, project: dict[str, Any]
) -> None:
    asset_id = create(client, alice, project).json()["asset"]["uuid"]
    client.put(
        f"/api/v1/projects/{project['id']}/members", json={"username": "bob", "role": "viewer"}, headers=alice.headers
    )
    assert client.get(assets_url(project, asset_id), headers=bob.headers).status_code == 200
    refused = client.put(assets_url(project, asset_id), json={"description": "x"}, headers=bob.headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied")


def test_promote_copies_the_asset_into_the_workspace_library(
    client: TestClient, alice: TestUser, project: dict[str, Any], settings: Settings
) -> None:
    asset_id = create(client, alice, project).json()["asset"]["uuid"]
    front = png_bytes(16, 16)
    upload_images(client, alice, project, asset_id, [("front.png", front)])
    response = client.post(assets_url(project, asset_id, "promote"), headers=alice.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"library_path": "Assets/Characters/Mara_Voss"}
    promoted = settings.library_dir / "Assets/Characters/Mara_Voss"
    assert json.loads((promoted / "asset.json").read_text())["uuid"] == asset_id
    [image] = (promoted / "refs").iterdir()
    assert image.read_bytes() == front
    # Promoting again replaces it; another project's asset of the same name does not.
    assert client.post(assets_url(project, asset_id, "promote"), headers=alice.headers).status_code == 200
    other = create_project(client, alice, "Other Film")
    other_id = create(client, alice, other).json()["asset"]["uuid"]
    refused = client.post(assets_url(other, other_id, "promote"), headers=alice.headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "duplicate_name")
    assert json.loads((promoted / "asset.json").read_text())["uuid"] == asset_id
