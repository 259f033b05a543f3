"""The workspace Library's assets: listed for a project, imported into another project as one commit with their
images and trained LoRA versions through LFS, their names and trigger words kept unique there."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from server.assets.versions import commit_version
from server.config import Settings
from server.projects.git import GitRepo, studio_author
from tests.server.assets.test_assets_api import CHARACTERS, assets_url, create, git, upload_images
from tests.support.factories import TestUser, create_project, png_bytes

FOLDER = f"{CHARACTERS}/Mara_Voss"
SAMPLE_RGB = (20, 160, 60)
LORA = b"\x08\x00\x00\x00\x00\x00\x00\x00{}      "  # a valid empty .safetensors: the bytes are what is copied


def library_url(project: dict[str, Any], *rest: str) -> str:
    return "/".join([f"/api/v1/projects/{project['id']}/library/assets", *rest])


@pytest.fixture
def promoted(client: TestClient, alice: TestUser, settings: Settings, tmp_path: Path) -> dict[str, Any]:
    """Mara Voss in 'Origin', with two reference images and a trained v01, promoted to the Library."""
    origin = create_project(client, alice, "Origin")
    asset_id = create(client, alice, origin).json()["asset"]["uuid"]
    images = [("front.png", png_bytes(40, 40, (200, 0, 0))), ("side.png", png_bytes(40, 32, (0, 0, 200)))]
    assert upload_images(client, alice, origin, asset_id, images).status_code == 200
    lora, sample = tmp_path / "lora.safetensors", tmp_path / "sample.png"
    lora.write_bytes(LORA)
    sample.write_bytes(png_bytes(8, 8, SAMPLE_RGB))
    repo = GitRepo(settings.projects_dir / origin["slug"])
    commit_version(repo, asset_id, lora, sample, {"steps": 3}, "task-1", "stable-diffusion-v1-5", studio_author("a"))
    assert client.post(assets_url(origin, asset_id, "promote"), headers=alice.headers).status_code == 200
    return client.get(assets_url(origin, asset_id), headers=alice.headers).json()["asset"]  # type: ignore[no-any-return]


def test_a_promoted_asset_is_listed_and_imported_with_its_images_and_lora(
    client: TestClient, alice: TestUser, settings: Settings, promoted: dict[str, Any]
) -> None:
    project = create_project(client, alice, "Sequel")
    listed = client.get(library_url(project), headers=alice.headers)
    assert listed.status_code == 200, listed.text
    assert listed.json() == [
        {
            "asset": promoted,
            "library_path": "Assets/Characters/Mara_Voss",
            "thumbnail_url": library_url(project, promoted["uuid"], "thumbnail"),
        }
    ]

    response = client.post(library_url(project, promoted["uuid"], "import"), headers=alice.headers)
    assert response.status_code == 201, response.text
    assert response.json() == {"asset": promoted, "folder": FOLDER}
    repo = settings.projects_dir / project["slug"]
    library = settings.library_dir / "Assets/Characters/Mara_Voss"
    assert (repo / FOLDER / "asset.json").read_text() == (library / "asset.json").read_text()
    [version] = promoted["versions"]
    media = [i["file"] for i in promoted["reference_images"]] + [version["file"], *version["samples"]]
    for relative in [*media, version["sidecar"]]:
        assert (repo / FOLDER / relative).read_bytes() == (library / relative).read_bytes(), relative
    assert (repo / FOLDER / version["file"]).read_bytes() == LORA
    assert git(repo, "log", "-1", "--format=%s") == "asset: import 'Mara Voss' from the Library\n"
    # Images, LoRA and sample are this project's own LFS objects (linked at its next transfer); the sidecar is git.
    assert sorted(git(repo, "lfs", "ls-files", "--name-only").split()) == sorted(f"{FOLDER}/{m}" for m in media)
    assert git(repo, "status", "--porcelain") == ""
    assert [a["asset"]["uuid"] for a in client.get(assets_url(project), headers=alice.headers).json()] == [
        promoted["uuid"]
    ]


def test_a_clashing_name_or_trigger_word_gets_a_sentence_and_changes_nothing(
    client: TestClient, alice: TestUser, settings: Settings, promoted: dict[str, Any]
) -> None:
    project = create_project(client, alice, "Sequel")
    create(client, alice, project, name="Mara Two", trigger_word="SKS_MARA")
    repo = settings.projects_dir / project["slug"]
    head = git(repo, "rev-parse", "HEAD")
    refused = client.post(library_url(project, promoted["uuid"], "import"), headers=alice.headers)
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["message"] == (
        "The trigger word 'sks_mara' is already used by 'Mara Two'; change it in this project's Asset Manager, "
        "then import 'Mara Voss' again."
    )
    assert git(repo, "rev-parse", "HEAD") == head and not (repo / FOLDER).exists()
    # Once imported, a second import is refused as the same asset.
    other = create_project(client, alice, "Third")
    assert client.post(library_url(other, promoted["uuid"], "import"), headers=alice.headers).status_code == 201
    again = client.post(library_url(other, promoted["uuid"], "import"), headers=alice.headers)
    assert (again.status_code, again.json()["error"]["code"]) == (409, "duplicate_name")
    assert "already has 'Mara Voss'" in again.json()["error"]["message"]


def test_a_library_file_that_does_not_match_its_hash_is_refused_and_leaves_nothing(
    client: TestClient, alice: TestUser, settings: Settings, promoted: dict[str, Any]
) -> None:
    project = create_project(client, alice, "Sequel")
    library = settings.library_dir / "Assets/Characters/Mara_Voss"
    (library / promoted["versions"][0]["file"]).write_bytes(b"not the trained lora")
    repo = settings.projects_dir / project["slug"]
    head = git(repo, "rev-parse", "HEAD")
    refused = client.post(library_url(project, promoted["uuid"], "import"), headers=alice.headers)
    assert refused.status_code == 422, refused.text
    assert "does not match the hash its asset.json records" in refused.json()["error"]["message"]
    assert git(repo, "rev-parse", "HEAD") == head and not (repo / FOLDER).exists()
    assert git(repo, "status", "--porcelain") == ""


def test_unknown_assets_viewers_and_strangers_are_refused(
    client: TestClient, alice: TestUser, bob: TestUser, promoted: dict[str, Any]
) -> None:
    project = create_project(client, alice, "Sequel")
    unknown = "00000000-0000-0000-0000-000000000000"
    missing = client.post(library_url(project, unknown, "import"), headers=alice.headers)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "asset_not_found")
    assert client.get(library_url(project), headers=bob.headers).status_code == 404
    client.put(
        f"/api/v1/projects/{project['id']}/members", json={"username": "bob", "role": "viewer"}, headers=alice.headers
    )
    assert client.get(library_url(project), headers=bob.headers).status_code == 200
    refused = client.post(library_url(project, promoted["uuid"], "import"), headers=bob.headers)
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied")


def thumbnail(client: TestClient, user: TestUser, project: dict[str, Any]) -> tuple[Any, Image.Image | None]:
    """The project's first Library asset's thumbnail: the answer, and its image when there is one."""
    [listed] = client.get(library_url(project), headers=user.headers).json()
    response = client.get(listed["thumbnail_url"], headers=user.headers)
    return response, Image.open(BytesIO(response.content)) if response.status_code == 200 else None


def test_a_library_asset_shows_its_newest_sample_scaled_to_a_thumbnail(
    client: TestClient, alice: TestUser, bob: TestUser, settings: Settings, promoted: dict[str, Any]
) -> None:
    project = create_project(client, alice, "Sequel")
    response, image = thumbnail(client, alice, project)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert image and image.size == (320, 320)  # the 8x8 sample, 320 px wide like a take's thumbnail
    assert image.convert("RGB").getpixel((160, 160)) == SAMPLE_RGB
    [cached] = (settings.state_dir / "thumbnails/library").iterdir()  # made once, named by the sample's content
    assert cached.read_bytes() == response.content
    assert client.get(library_url(project, promoted["uuid"], "thumbnail")).status_code == 401
    stranger = client.get(library_url(project, promoted["uuid"], "thumbnail"), headers=bob.headers)
    assert (stranger.status_code, stranger.json()["error"]["code"]) == (404, "project_not_found")


def test_an_untrained_library_asset_shows_its_first_reference_image_and_one_without_images_none(
    client: TestClient, alice: TestUser
) -> None:
    origin = create_project(client, alice, "Origin")
    asset_id = create(client, alice, origin).json()["asset"]["uuid"]
    client.post(assets_url(origin, asset_id, "promote"), headers=alice.headers)
    project = create_project(client, alice, "Sequel")
    [listed] = client.get(library_url(project), headers=alice.headers).json()
    assert listed["thumbnail_url"] is None
    refused = client.get(library_url(project, asset_id, "thumbnail"), headers=alice.headers)
    assert (refused.status_code, refused.json()["error"]["message"]) == (
        404,
        "The Library's 'Mara Voss' has no reference image or sample to show; add images in its project and "
        "promote it again.",
    )

    images = [("front.png", png_bytes(40, 20, (200, 0, 0))), ("side.png", png_bytes(40, 32, (0, 0, 200)))]
    assert upload_images(client, alice, origin, asset_id, images).status_code == 200
    client.post(assets_url(origin, asset_id, "promote"), headers=alice.headers)
    response, image = thumbnail(client, alice, project)
    assert response.status_code == 200, response.text
    assert image and image.size == (320, 160) and image.convert("RGB").getpixel((10, 10)) == (200, 0, 0)


def test_a_library_picture_that_leaves_the_library_is_not_served(
    client: TestClient, alice: TestUser, settings: Settings, promoted: dict[str, Any], tmp_path: Path
) -> None:
    secret = tmp_path / "secret.png"
    secret.write_bytes(png_bytes(8, 8, (1, 2, 3)))
    sample = settings.library_dir / "Assets/Characters/Mara_Voss" / promoted["versions"][0]["samples"][0]
    sample.unlink()
    sample.symlink_to(secret)
    project = create_project(client, alice, "Sequel")
    response, image = thumbnail(client, alice, project)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "path_not_allowed")
    assert image is None and not (settings.state_dir / "thumbnails").exists()
