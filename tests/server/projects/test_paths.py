"""The one path resolver: what it confines, what it refuses, and the sentence it refuses with."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from server.errors import FileNotInProjectError, PathNotAllowedError
from server.projects.paths import existing_file, existing_folder, new_file, new_folder, relative_path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "config").write_text("[core]\n")
    (root / "03_Renders" / "SCENE_01").mkdir(parents=True)
    (root / "03_Renders" / "SCENE_01" / "take.mp4").write_bytes(b"take")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "secret.txt").write_text("secret")
    return root


@pytest.mark.parametrize(
    ("relative", "words"),
    [
        ("", "empty"),
        ("03_Renders/\x00.mp4", "NUL"),
        ("/etc/passwd", "absolute"),
        ("\\\\server\\share\\x.mp4", "absolute"),
        ("C:/Users/x.mp4", "absolute"),
        ("c:x.mp4", "absolute"),
        ("03_Renders\\..\\x.mp4", "backslash"),
        ("03_Renders/../../elsewhere/secret.txt", "leaves the project"),
        ("..", "leaves the project"),
        (".git/config", ".git"),
        ("03_Renders/.GIT/config", ".git"),
        ("a/" * 600, "longer than"),
    ],
)
def test_names_that_could_leave_the_project_are_refused_with_a_sentence(relative: str, words: str) -> None:
    with pytest.raises(PathNotAllowedError, match=words) as refused:
        relative_path(relative, field="active_take")
    assert refused.value.field == "active_take"


def test_an_existing_file_is_resolved_inside_the_project(repo: Path) -> None:
    assert existing_file(repo, "03_Renders/./SCENE_01//take.mp4") == repo.resolve() / "03_Renders/SCENE_01/take.mp4"
    assert existing_folder(repo, "03_Renders") == repo.resolve() / "03_Renders"
    with pytest.raises(FileNotInProjectError, match=re.escape("no file '03_Renders/none.mp4'")):
        existing_file(repo, "03_Renders/none.mp4")
    with pytest.raises(FileNotInProjectError, match="no folder"):
        existing_folder(repo, "03_Renders/SCENE_01/take.mp4")


def test_links_out_of_the_project_or_into_git_are_refused_links_inside_are_followed(repo: Path) -> None:
    (repo / "out.txt").symlink_to(repo.parent / "elsewhere" / "secret.txt")
    (repo / "Out").symlink_to(repo.parent / "elsewhere")
    (repo / "config").symlink_to(repo / ".git" / "config")
    (repo / "same.mp4").symlink_to(repo / "03_Renders" / "SCENE_01" / "take.mp4")
    for relative in ("out.txt", "Out/secret.txt"):
        with pytest.raises(PathNotAllowedError, match="outside the project"):
            existing_file(repo, relative)
    with pytest.raises(PathNotAllowedError, match=r"into \.git"):
        existing_file(repo, "config")
    assert existing_file(repo, "same.mp4").read_bytes() == b"take"


def test_a_new_file_is_inside_its_folder_with_no_link_on_the_way(repo: Path) -> None:
    assert new_file(repo, "06_Exports/cut.mp4", folder="06_Exports") == repo.resolve() / "06_Exports/cut.mp4"
    assert new_folder(repo, "03_Renders/SCENE_02") == repo.resolve() / "03_Renders/SCENE_02"
    with pytest.raises(PathNotAllowedError, match="not inside 06_Exports/"):
        new_file(repo, "03_Renders/SCENE_01/take.mp4", folder="06_Exports")
    with pytest.raises(PathNotAllowedError, match="leaves the project"):
        new_file(repo, "06_Exports/../../elsewhere/x.mp4", folder="06_Exports")
    os.symlink(repo / "03_Renders", repo / "06_Exports")  # a link inside the project is still refused
    with pytest.raises(PathNotAllowedError, match="'06_Exports' is a symbolic link"):
        new_file(repo, "06_Exports/SCENE_01/take.mp4", folder="06_Exports")
    (repo / "03_Renders" / "SCENE_01" / "link.mp4").symlink_to(repo.parent / "elsewhere" / "secret.txt")
    with pytest.raises(PathNotAllowedError, match=re.escape("link.mp4' is a symbolic link")):
        new_file(repo, "03_Renders/SCENE_01/link.mp4", folder="03_Renders")
