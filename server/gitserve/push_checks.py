"""What a push must satisfy before a ref moves, each check a list of sentences (empty: it passes).

The pushed content is not trusted: it may not hold symbolic links (the working tree is checked out on the
server), may not change .lfsconfig (git-lfs reads it), names LFS objects only in the current pointer format
and only objects the project holds, and keeps a valid project.json of this same project and canvas.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from schemas.models.canvas_graph import CanvasGraph
from schemas.models.project_manifest import ProjectManifest
from server.gitserve.lfs_objects import MAX_POINTER_SIZE, LfsObject, looks_like_pointer, parse_pointer
from server.graph_limits import GraphLimitError, GraphLimits
from server.projects.manifest import MANIFEST_FILE

ZERO_ID = "0" * 40
SERVED_BRANCH = "refs/heads/main"
LFS_CONFIG = ".lfsconfig"
SYMLINK_MODE = "120000"


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str


@dataclass
class PointerScan:
    objects: set[LfsObject] = field(default_factory=set)
    malformed: list[str] = field(default_factory=list)  # blob ids of pointer-like blobs in another format


def parse_updates(lines: Iterable[str]) -> list[RefUpdate]:
    return [RefUpdate(*line.split()) for line in lines if line.strip()]


def _git(args: list[str], stdin: bytes | None = None, cwd: Path | None = None) -> bytes:
    return subprocess.run(["git", *args], input=stdin, capture_output=True, check=True, cwd=cwd).stdout


def _small_blobs(rev_args: list[str], cwd: Path | None) -> Iterator[tuple[str, bytes]]:
    """(id, content) of the blobs of at most a pointer's size reachable from `rev_args` (rev-list syntax)."""
    listing = _git(["rev-list", "--objects", *rev_args], cwd=cwd)
    if not listing.strip():
        return
    ids = b"\n".join(line.split(b" ", 1)[0] for line in listing.splitlines()) + b"\n"
    checked = _git(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], ids, cwd)
    small = [
        object_id
        for object_id, kind, size in (line.split() for line in checked.decode().splitlines())
        if kind == "blob" and int(size) <= MAX_POINTER_SIZE
    ]
    if not small:
        return
    output = _git(["cat-file", "--batch"], ("\n".join(small) + "\n").encode(), cwd)
    position = 0
    while position < len(output):
        header_end = output.index(b"\n", position)
        object_id, _kind, size = output[position:header_end].decode().split()
        yield object_id, output[header_end + 1 : header_end + 1 + int(size)]
        position = header_end + 1 + int(size) + 1


def scan_pointers(rev_args: list[str], cwd: Path | None = None) -> PointerScan:
    scan = PointerScan()
    for object_id, blob in _small_blobs(rev_args, cwd):
        pointer = parse_pointer(blob)
        if pointer is not None:
            scan.objects.add(pointer)
        elif looks_like_pointer(blob):
            scan.malformed.append(object_id)
    return scan


def lfs_objects_in(rev_args: list[str], cwd: Path | None = None) -> set[LfsObject]:
    """The LFS objects that pointers reachable from `rev_args` name, e.g. ["--all"]: a whole history."""
    return scan_pointers(rev_args, cwd).objects


def pushed_pointers(updates: list[RefUpdate]) -> PointerScan:
    tips = [u.new for u in updates if u.new != ZERO_ID]
    # Objects reachable from the pushed tips and from no existing ref: exactly what this push brings.
    return scan_pointers([*tips, "--not", "--all"]) if tips else PointerScan()


def stale_updates(updates: list[RefUpdate]) -> list[str]:
    """Refs that moved on the server since the pusher read them (e.g. the live canvas was saved)."""
    problems = []
    for update in updates:
        current = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", update.ref], capture_output=True, text=True, check=False
        ).stdout.strip()
        if update.old != (current or ZERO_ID):
            problems.append(
                f"{update.ref} changed on the server while you worked (live canvas edits are saved as commits); "
                "run `git pull`, then push again."
            )
    return problems


def link_problems(updates: list[RefUpdate]) -> list[str]:
    """Symbolic links would let a push make the server write outside the project: none on any pushed tip."""
    problems = []
    for update in updates:
        if update.new == ZERO_ID:
            continue
        listing = _git(["ls-tree", "-r", "-z", "--full-tree", update.new]).decode(errors="replace")
        links = [entry.split("\t", 1)[1] for entry in listing.split("\0") if entry.startswith(SYMLINK_MODE + " ")]
        if links:
            shown = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
            problems.append(
                f"{update.ref} contains symbolic links ({shown}); the studio does not accept links. "
                "Replace them with the files themselves (`git rm --cached <link>`, copy the file, commit)."
            )
    return problems


def lfsconfig_problems(updates: list[RefUpdate]) -> list[str]:
    """A pushed .lfsconfig would point every client of this project (the studio's workers included) at
    another LFS server."""
    problems = []
    for update in updates:
        if update.new == ZERO_ID:
            continue
        if update.old == ZERO_ID:
            changed = bool(_git(["ls-tree", "--name-only", update.new, "--", LFS_CONFIG]).strip())
        else:
            changed = bool(_git(["diff", "--name-only", update.old, update.new, "--", LFS_CONFIG]).strip())
        if changed:
            problems.append(
                f"{update.ref} adds or changes {LFS_CONFIG}; the studio serves LFS itself and does not accept one. "
                f"Remove it from your commits (`git rm --cached {LFS_CONFIG}`) and push again."
            )
    return problems


def pointer_format_problems(scan: PointerScan) -> list[str]:
    if not scan.malformed:
        return []
    return [
        f"{len(scan.malformed)} file(s) look like Git LFS pointers in another format (blob "
        f"{', '.join(scan.malformed[:5])}); only 'version https://git-lfs.github.com/spec/v1' pointers with "
        "'oid sha256:<64 hex>' and 'size' are accepted. Re-add the files with a current git-lfs and push again."
    ]


def project_file_problems(updates: list[RefUpdate], project_uuid: str | None, limits: GraphLimits) -> list[str]:
    """The served branch must keep a valid project.json of this project and a canvas within the graph limits:
    the server imports them, and the index trusts the project's id, never a pushed one."""
    problems = []
    for update in updates:
        if update.ref != SERVED_BRANCH or update.new == ZERO_ID:
            continue
        try:
            manifest = ProjectManifest.model_validate_json(_git(["show", f"{update.new}:{MANIFEST_FILE}"]))
            canvas = _git(["show", f"{update.new}:{manifest.canvas_path}"])
            graph = CanvasGraph.model_validate_json(canvas).model_dump(mode="json", exclude_unset=True)
            limits.check(graph, len(canvas))
        except subprocess.CalledProcessError as exc:
            problems.append(f"a project file is missing from {update.ref}: {exc.stderr.decode().strip()}")
            continue
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(root)"
            problems.append(f"{update.ref} has an invalid project file: {where}: {first['msg']}")
            continue
        except GraphLimitError as exc:
            problems.append(f"{update.ref}: {exc.message}")
            continue
        if project_uuid is not None and manifest.uuid != project_uuid:
            problems.append(
                f"{update.ref} changes the uuid in {MANIFEST_FILE} to {manifest.uuid}; a project keeps its id "
                f"({project_uuid}). Restore it and push again."
            )
    return problems


def canvas_changed(updates: list[RefUpdate]) -> bool:
    """Whether the push changes project.json or the canvas of the served branch (what an import reads)."""
    for update in updates:
        if update.ref != SERVED_BRANCH or update.new == ZERO_ID:
            continue
        if update.old == ZERO_ID:
            return True
        manifest = ProjectManifest.model_validate_json(_git(["show", f"{update.new}:{MANIFEST_FILE}"]))
        paths = [MANIFEST_FILE, manifest.canvas_path]
        if _git(["diff", "--name-only", update.old, update.new, "--", *paths]).strip():
            return True
    return False
