"""New Project scaffolding: the exact tree, a valid manifest, one initial commit, LFS for media."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from schemas import validator
from server.config import Settings
from server.errors import InvalidInputError
from server.projects.git import GitRepo, studio_author
from server.projects.scaffold import scaffold_project
from tests.support.factories import TestUser, create_project, png_bytes

COMMITTED_FILES = [
    ".gitattributes",
    ".gitignore",
    "01_Assets/AI_Models/.gitkeep",
    "01_Assets/Generative_Assets/Characters/.gitkeep",
    "01_Assets/Generative_Assets/Props/.gitkeep",
    "01_Assets/Generative_Assets/Styles/.gitkeep",
    "01_Assets/Source_Media/.gitkeep",
    "02_Source_Creative/Canvases/main_canvas.json",
    "02_Source_Creative/Scripts/.gitkeep",
    "03_Renders/.gitkeep",
    "04_Project_Files/Auto_Saves/.gitkeep",
    "04_Project_Files/EDLs/.gitkeep",
    "project.json",
]
DIRECTORIES = [
    "01_Assets",
    "01_Assets/AI_Models",
    "01_Assets/Generative_Assets",
    "01_Assets/Generative_Assets/Characters",
    "01_Assets/Generative_Assets/Props",
    "01_Assets/Generative_Assets/Styles",
    "01_Assets/Source_Media",
    "02_Source_Creative",
    "02_Source_Creative/Canvases",
    "02_Source_Creative/Scripts",
    "03_Renders",
    "04_Project_Files",
    "04_Project_Files/Auto_Saves",
    "04_Project_Files/EDLs",
    "05_Cache",
    "05_Cache/control_maps",
    "05_Cache/thumbnails",
    "06_Exports",
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def project(client: TestClient, alice: TestUser) -> dict[str, Any]:
    return create_project(
        client, alice, "Ödland — Teaser (v2)", description="A teaser.", aspect_ratio="2.39:1", quality="high"
    )


@pytest.fixture
def repo(settings: Settings, project: dict[str, Any]) -> Path:
    return settings.projects_dir / project["slug"]


def test_slug_is_an_ascii_folder_name_of_the_title(project: dict[str, Any]) -> None:
    assert project["slug"] == "Odland-Teaser-v2"


def test_scaffolded_tree_is_exactly_the_project_layout(repo: Path) -> None:
    directories = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_dir() and ".git" not in p.parts)
    assert directories == DIRECTORIES
    files = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)
    assert files == sorted(
        [*COMMITTED_FILES, "05_Cache/control_maps/.gitkeep", "05_Cache/thumbnails/.gitkeep", "06_Exports/.gitkeep"]
    )


def test_manifest_is_schema_valid_and_holds_the_request(repo: Path, project: dict[str, Any]) -> None:
    manifest = json.loads((repo / "project.json").read_text())
    assert validator("project-manifest").is_valid(manifest)
    assert manifest == {
        "schema_version": 1,
        "uuid": project["id"],
        "title": "Ödland — Teaser (v2)",
        "description": "A teaser.",
        "canvas_path": "02_Source_Creative/Canvases/main_canvas.json",
        "project_settings": {"aspect_ratio": "2.39:1", "quality": "high", "hardware_policy": "fallback"},
        "version": 1,
    }


def test_initial_commit_holds_the_structure_and_nothing_ignored(repo: Path) -> None:
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    assert sorted(git(repo, "ls-tree", "-r", "--name-only", "HEAD").splitlines()) == COMMITTED_FILES
    assert git(repo, "log", "-1", "--format=%an|%s").strip() == "alice|project: create 'Ödland — Teaser (v2)'"
    assert git(repo, "status", "--porcelain") == ""


def test_repository_is_configured_for_lfs_and_pushes(repo: Path) -> None:
    assert git(repo, "config", "receive.denyCurrentBranch").strip() == "updateInstead"
    assert git(repo, "config", "filter.lfs.clean").strip() == "git-lfs clean -- %f"
    assert "05_Cache/" in (repo / ".gitignore").read_text()
    assert "06_Exports/" in (repo / ".gitignore").read_text()


@pytest.mark.parametrize(
    "name",
    ["01_Assets/Source_Media/frame.png", "03_Renders/SCENE_01/SHOT_010/a.MP4", "01_Assets/AI_Models/lora.safetensors"],
)
def test_committed_media_is_stored_as_an_lfs_pointer(repo: Path, name: str) -> None:
    target = repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    content = png_bytes(64, 64)
    target.write_bytes(content)
    GitRepo(repo).commit([name], "add media", studio_author("alice"))
    stored = git(repo, "cat-file", "-p", f"HEAD:{name}")
    assert stored.startswith("version https://git-lfs.github.com/spec/v1\noid sha256:")
    assert f"size {len(content)}" in stored
    assert target.read_bytes() == content  # the working tree keeps the real file


def test_json_and_text_stay_plain_git(repo: Path) -> None:
    (repo / "02_Source_Creative/Scripts/screenplay.txt").write_text("INT. LIGHTHOUSE - NIGHT\n")
    GitRepo(repo).commit(["02_Source_Creative/Scripts/screenplay.txt"], "script", studio_author("alice"))
    assert git(repo, "cat-file", "-p", "HEAD:02_Source_Creative/Scripts/screenplay.txt") == "INT. LIGHTHOUSE - NIGHT\n"


def test_failed_scaffold_leaves_no_folder(tmp_path: Path) -> None:
    broken_template = tmp_path / "template"
    broken_template.mkdir()
    (broken_template / "gitignore").write_text("")
    (broken_template / "gitattributes").write_text("")
    (broken_template / "project.json").write_text('{"title": "not a manifest"}')
    projects = tmp_path / "Projects"
    projects.mkdir()
    with pytest.raises(InvalidInputError, match="not a valid project manifest"):
        scaffold_project(
            template_dir=broken_template,
            target=projects / "Film",
            title="Film",
            description="",
            settings={},
            author=studio_author("alice"),
        )
    assert list(projects.iterdir()) == []


def test_template_is_schema_valid(settings: Settings) -> None:
    template = settings.template_dir
    assert validator("project-manifest").is_valid(json.loads((template / "project.json").read_text()))
    canvas = json.loads((template / "02_Source_Creative/Canvases/main_canvas.json").read_text())
    assert validator("canvas-graph").is_valid(canvas)
