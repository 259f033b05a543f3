"""Importing ComfyUI workflows as templates over REST: inspect a JSON or workflow PNG, save into the project
(committed) or the workspace Library (admins), and the template's node in the project's palette."""

from __future__ import annotations

import io
import json
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from server.config import Settings
from tests.support.factories import SEED_TEMPLATES, TestUser, create_project, png_bytes

WORKFLOW = json.loads((SEED_TEMPLATES / "sd15-txt2img" / "workflow.json").read_text())


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(client, alice)


def inspect(client: TestClient, user: TestUser, project: dict[str, Any], content: bytes, filename: str) -> Any:
    return client.post(
        f"/api/v1/projects/{project['id']}/templates/inspect",
        params={"filename": filename},
        content=content,
        headers={**user.headers, "Content-Type": "application/octet-stream"},
    )


def draft(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "lighthouse",
        "title": "Lighthouse",
        "workflow": WORKFLOW,
        "expose": [
            {"node": "6", "input": "text", "name": "prompt"},
            {"node": "3", "input": "steps", "name": "steps", "expose_as": "param"},
        ],
        "outputs": [{"node": "9", "name": "image"}],
    }
    return {**body, **changes}


def save(client: TestClient, user: TestUser, project: dict[str, Any], body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/projects/{project['id']}/templates", json=body, headers=user.headers)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


def comfyui_png(prompt: dict[str, Any], *, compressed: bool = False) -> bytes:
    """An image as ComfyUI's SaveImage writes it: the API prompt and the UI workflow in text chunks."""
    info = PngInfo()
    info.add_text("prompt", json.dumps(prompt), zip=compressed)
    info.add_text("workflow", json.dumps({"nodes": [], "links": []}))
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (40, 90, 200)).save(buffer, format="PNG", pnginfo=info)
    return buffer.getvalue()


def test_inspecting_a_workflow_proposes_prompts_settings_outputs_and_seeds(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    response = inspect(client, alice, project, json.dumps(WORKFLOW).encode(), "Night Shot_v2.json")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["id"], body["title"]) == ("night-shot-v2", "Night Shot v2")
    assert body["node_classes"] == sorted({n["class_type"] for n in WORKFLOW.values()})
    candidates = {(c["node"], c["input"]): c for c in body["inputs"]}
    assert candidates[("6", "text")] | {"value": None} == {
        "node": "6",
        "input": "text",
        "class_type": "CLIPTextEncode",
        "title": "CLIP Text Encode (Prompt)",
        "value": None,
        "type": "String",
        "name": "prompt",  # it feeds the sampler's positive conditioning
        "expose_as": "socket",
        "suggested": True,
    }
    assert (candidates[("7", "text")]["name"], candidates[("7", "text")]["suggested"]) == ("negative_prompt", True)
    assert candidates[("3", "steps")] | {"title": ""} == {
        "node": "3",
        "input": "steps",
        "class_type": "KSampler",
        "title": "",
        "value": 20,
        "type": "Integer",
        "name": "steps",
        "expose_as": "param",
        "suggested": False,
    }
    assert candidates[("3", "cfg")]["type"] == "Float"
    assert ("3", "seed") not in candidates
    assert body["seeds"] == [{"node": "3", "input": "seed"}]
    assert body["outputs"] == [
        {"node": "9", "class_type": "SaveImage", "title": "Save Image", "type": "Image", "name": "image"}
    ]


@pytest.mark.parametrize("compressed", [False, True])
def test_a_workflow_png_is_read_from_its_prompt_chunk(
    client: TestClient, alice: TestUser, project: dict[str, Any], compressed: bool
) -> None:
    response = inspect(client, alice, project, comfyui_png(WORKFLOW, compressed=compressed), "ComfyUI_00042_.png")
    assert response.status_code == 200, response.text
    assert response.json()["workflow"] == WORKFLOW
    assert response.json()["id"] == "comfyui-00042"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (json.dumps({"nodes": [], "links": [], "version": 0.4}).encode(), "in the UI format"),
        (b"{not json", "does not hold valid JSON"),
        (b"\xff\xfe\x00garbage", "neither a PNG nor UTF-8 JSON"),
        (png_bytes(), "carries no ComfyUI workflow (no 'prompt' text chunk)"),
        (png_bytes()[:40], "cut short"),
        (png_bytes()[:23] + b"\x09" + png_bytes()[24:], "IHDR chunk is damaged (its CRC does not match)"),
    ],
)
def test_files_that_are_no_workflow_are_refused_with_a_sentence(
    client: TestClient, alice: TestUser, project: dict[str, Any], content: bytes, fragment: str
) -> None:
    response = inspect(client, alice, project, content, "dropped.png")
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "invalid_template"
    assert fragment in response.json()["error"]["message"]


def test_a_compressed_chunk_that_inflates_beyond_the_cap_is_refused(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    bomb = zlib.compress(b" " * (17 * 1024 * 1024), 9)  # 17 MiB of text in a few kilobytes
    chunk_data = b"prompt\x00\x00" + bomb
    png = png_bytes()
    iend = png.rindex(b"IEND") - 4
    chunk = (
        len(chunk_data).to_bytes(4, "big") + b"zTXt" + chunk_data + zlib.crc32(b"zTXt" + chunk_data).to_bytes(4, "big")
    )
    response = inspect(client, alice, project, png[:iend] + chunk + png[iend:], "bomb.png")
    assert response.status_code == 422
    assert "larger than 16 MiB" in response.json()["error"]["message"]


def test_saving_commits_the_template_to_the_project_and_its_node_joins_the_projects_palette(
    client: TestClient, alice: TestUser, project: dict[str, Any], settings: Settings
) -> None:
    response = save(client, alice, project, draft())
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["id"], body["target"], body["path"]) == (
        "lighthouse",
        "project",
        "02_Source_Creative/Pipeline_Templates/lighthouse",
    )
    node_type = body["node_type"]
    assert node_type["id"] == "template:lighthouse" and node_type["origin"] == "template"
    assert [(p["name"], p["type"], p.get("default")) for p in node_type["inputs"]] == [
        ("prompt", "String", "a lighthouse on a cliff at dawn, film still")
    ]
    assert node_type["params"]["properties"]["steps"] == {"type": "integer", "title": "Steps", "default": 20}
    assert node_type["params"]["properties"]["seed"]["type"] == "integer"

    repo = settings.projects_dir / project["slug"]
    assert git(repo, "log", "-1", "--format=%s %an").strip() == "template: lighthouse alice"
    assert git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "02_Source_Creative/Pipeline_Templates/lighthouse/template.json",
        "02_Source_Creative/Pipeline_Templates/lighthouse/workflow.json",
    ]
    assert json.loads((repo / body["path"] / "workflow.json").read_text()) == WORKFLOW

    in_project = client.get("/api/v1/node-types", params={"project_id": project["id"]}, headers=alice.headers)
    assert "template:lighthouse" in {t["id"] for t in in_project.json()}
    elsewhere = client.get("/api/v1/node-types", headers=alice.headers).json()
    assert "template:lighthouse" not in {t["id"] for t in elsewhere}
    assert {"template:sd15-txt2img", "template:sd15-img2img"} <= {t["id"] for t in elsewhere}  # the seeded Library


def test_a_taken_id_is_refused_and_nothing_is_written(
    client: TestClient, alice: TestUser, project: dict[str, Any], settings: Settings
) -> None:
    assert save(client, alice, project, draft()).status_code == 201
    repo = settings.projects_dir / project["slug"]
    commits = git(repo, "rev-list", "--count", "HEAD")
    for taken in ("lighthouse", "sd15-txt2img"):  # the project's own, and the Library's
        response = save(client, alice, project, draft(id=taken))
        assert response.status_code == 409, response.text
        assert f"A template '{taken}' exists already" in response.json()["error"]["message"]
    assert git(repo, "rev-list", "--count", "HEAD") == commits
    assert git(repo, "status", "--porcelain") == ""


def test_choices_that_do_not_fit_the_workflow_are_refused_with_a_sentence(
    client: TestClient, alice: TestUser, project: dict[str, Any]
) -> None:
    cases = [
        (draft(expose=[{"node": "66", "input": "text", "name": "prompt"}]), "The workflow has no node '66'"),
        (draft(expose=[{"node": "3", "input": "stepz", "name": "steps"}]), "node '3' (KSampler) has no input 'stepz'"),
        (draft(outputs=[{"node": "5", "name": "latent"}]), "node '5' (EmptyLatentImage) is not a node the studio"),
        (
            draft(expose=[{"node": "3", "input": "model", "name": "model"}]),
            "which the workflow connects to node '4'",
        ),
        (
            draft(expose=[{"node": "6", "input": "text", "name": "prompt", "type": "Image", "expose_as": "param"}]),
            "'prompt' is a Image, which can only be an input of the node",
        ),
        (
            draft(expose=[{"node": "3", "input": "seed", "name": "fixed_seed", "expose_as": "param"}]),
            "input 'seed' of node '3' is set by both 'fixed_seed' and the seed",
        ),
    ]
    for body, fragment in cases:
        response = save(client, alice, project, body)
        assert response.status_code == 422, (fragment, response.text)
        assert fragment in response.json()["error"]["message"], response.json()


def test_the_library_is_for_admins(
    client: TestClient, alice: TestUser, project: dict[str, Any], user_factory: Any, settings: Settings
) -> None:
    refused = save(client, alice, project, draft(target="library"))
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "permission_denied")
    root = user_factory("root", admin=True)
    shared = client.put(
        f"/api/v1/projects/{project['id']}/members", json={"username": "root", "role": "editor"}, headers=alice.headers
    )
    assert shared.status_code == 200
    saved = save(client, root, project, draft(target="library"))
    assert saved.status_code == 201, saved.text
    assert saved.json()["path"] == "Pipeline_Templates/lighthouse" and "commit" not in saved.json()
    assert (settings.library_dir / "Pipeline_Templates" / "lighthouse" / "template.json").is_file()
    everywhere = client.get("/api/v1/node-types", headers=alice.headers).json()
    assert "template:lighthouse" in {t["id"] for t in everywhere}


def test_viewers_and_strangers_cannot_import(
    client: TestClient, alice: TestUser, bob: TestUser, project: dict[str, Any], user_factory: Any
) -> None:
    client.put(
        f"/api/v1/projects/{project['id']}/members", json={"username": "bob", "role": "viewer"}, headers=alice.headers
    )
    viewer = inspect(client, bob, project, json.dumps(WORKFLOW).encode(), "w.json")
    assert (viewer.status_code, viewer.json()["error"]["code"]) == (403, "permission_denied")
    assert save(client, bob, project, draft()).status_code == 403
    dave = user_factory("dave")
    assert save(client, dave, project, draft()).status_code == 404
    palette = client.get("/api/v1/node-types", params={"project_id": project["id"]}, headers=dave.headers)
    assert (palette.status_code, palette.json()["error"]["code"]) == (404, "project_not_found")
