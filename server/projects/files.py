"""Confining client-supplied paths to a project's working tree."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from server.errors import FileNotInProjectError, PathNotAllowedError

MAX_PATH_LENGTH = 1024
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


def files_url(project_id: str, path: str) -> str:
    """Where GET /api/v1/projects/{id}/files/{path} serves a project file."""
    return f"/api/v1/projects/{project_id}/files/{path}"


def resolve_project_file(repo_root: Path, relative: str) -> Path:
    """The regular file `relative` names inside `repo_root`, or a clear refusal.

    Refused: NUL bytes, absolute paths, '..' components, anything under .git, and symlinks (at any
    level) that lead outside the repository.
    """
    if "\x00" in relative:
        raise PathNotAllowedError("The path contains a NUL byte; send a plain repository-relative path.", field="path")
    if len(relative) > MAX_PATH_LENGTH:
        raise PathNotAllowedError(f"The path is longer than {MAX_PATH_LENGTH} characters.", field="path")
    candidate = PurePosixPath(relative)
    if candidate.is_absolute() or relative.startswith("\\") or _WINDOWS_DRIVE.match(relative):
        raise PathNotAllowedError(
            f"'{relative}' is absolute; send a path relative to the project root, e.g. "
            "'03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png'.",
            field="path",
        )
    if any(part in ("..", ".git") or "\\" in part for part in candidate.parts):
        raise PathNotAllowedError(
            f"'{relative}' leaves the project or reaches into .git; only working-tree files are served.",
            field="path",
        )
    root = repo_root.resolve()
    resolved = (root / candidate).resolve()
    if root not in resolved.parents:
        raise PathNotAllowedError(f"'{relative}' is a link that leads outside the project.", field="path")
    if ".git" in resolved.relative_to(root).parts:
        raise PathNotAllowedError(
            f"'{relative}' is a link into .git; only working-tree files are served.", field="path"
        )
    if not resolved.is_file():
        raise FileNotInProjectError(f"The project has no file '{relative}'.", field="path")
    return resolved
