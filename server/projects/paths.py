"""The one resolver for every value that names a file of a project: confined to its repository, or refused.

Graphs, pushes and requests name files (active takes, file widgets, asset folders, uploads, render outputs,
exports). Each such value goes through one of these doors: `existing_file` and `existing_folder` for what
the server reads, `new_file` and `new_folder` for where it writes. Refused, each with a sentence: empty
names, NUL bytes, absolute paths, drive letters, backslashes, '..', anything in .git, links that lead out
of the repository, and, for writes, any link on the way (the server never writes through a symbolic link)."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from server.errors import FileNotInProjectError, PathNotAllowedError

MAX_PATH_LENGTH = 1024
_DRIVE = re.compile(r"^[A-Za-z]:")
EXAMPLE = "'03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.png'"


def relative_path(relative: str, *, field: str = "path") -> PurePosixPath:
    """`relative` checked as text: a repository-relative POSIX path that cannot leave the project."""
    if not relative:
        raise PathNotAllowedError(f"The {field} is empty; name a file inside the project, e.g. {EXAMPLE}.", field=field)
    if "\x00" in relative:
        raise PathNotAllowedError(
            f"The {field} contains a NUL byte; send a plain repository-relative path.", field=field
        )
    if len(relative) > MAX_PATH_LENGTH:
        raise PathNotAllowedError(f"The {field} is longer than {MAX_PATH_LENGTH} characters.", field=field)
    shown = relative[:200]
    if relative.startswith(("/", "\\")) or _DRIVE.match(relative):
        raise PathNotAllowedError(
            f"'{shown}' is absolute; send a path relative to the project root, e.g. {EXAMPLE}.", field=field
        )
    if "\\" in relative:
        raise PathNotAllowedError(
            f"'{shown}' contains a backslash; separate folders with '/', e.g. {EXAMPLE}.", field=field
        )
    candidate = PurePosixPath(relative)
    if any(part == ".." or part.lower() == ".git" for part in candidate.parts):
        raise PathNotAllowedError(
            f"'{shown}' leaves the project or reaches into .git; name a file inside the project.", field=field
        )
    return candidate


def _resolved_inside(repo_root: Path, relative: str, field: str) -> Path:
    candidate = relative_path(relative, field=field)
    root = repo_root.resolve()
    resolved = (root / candidate).resolve()
    if resolved != root and root not in resolved.parents:
        raise PathNotAllowedError(f"'{relative[:200]}' is a link that leads outside the project.", field=field)
    if ".git" in resolved.relative_to(root).parts:
        raise PathNotAllowedError(f"'{relative[:200]}' is a link into .git; name a working-tree file.", field=field)
    return resolved


def existing_file(repo_root: Path, relative: str, *, field: str = "path") -> Path:
    """The regular file `relative` names inside `repo_root` (links inside the project are followed)."""
    resolved = _resolved_inside(repo_root, relative, field)
    if not resolved.is_file():
        raise FileNotInProjectError(f"The project has no file '{relative[:200]}'.", field=field)
    return resolved


def existing_folder(repo_root: Path, relative: str, *, field: str = "path") -> Path:
    """The folder `relative` names inside `repo_root`."""
    resolved = _resolved_inside(repo_root, relative, field)
    if not resolved.is_dir():
        raise FileNotInProjectError(f"The project has no folder '{relative[:200]}'.", field=field)
    return resolved


def new_file(repo_root: Path, relative: str, *, folder: str, field: str = "path") -> Path:
    """Where the server may write `relative`: inside `folder` of the project, with no symbolic link on the
    way (neither a folder nor the file itself), so a write can only land where the name says. The folders
    may not exist yet; the file may (callers replace it atomically or refuse)."""
    candidate = relative_path(relative, field=field)
    if PurePosixPath(folder) not in candidate.parents:
        raise PathNotAllowedError(
            f"'{relative[:200]}' is not inside {folder}/; the server writes this file only there.", field=field
        )
    return _without_links(repo_root, candidate, field)


def new_folder(repo_root: Path, relative: str, *, field: str = "path") -> Path:
    """A folder the server may create and write into, with no symbolic link on the way."""
    return _without_links(repo_root, relative_path(relative, field=field), field)


def _without_links(repo_root: Path, candidate: PurePosixPath, field: str) -> Path:
    root = repo_root.resolve()
    step = root
    for part in candidate.parts:
        step = step / part
        if step.is_symlink():
            raise PathNotAllowedError(
                f"'{step.relative_to(root)}' is a symbolic link; the server does not write through links. "
                "Replace it with a real folder or file.",
                field=field,
            )
    return step
