"""What a push must satisfy before a ref moves: its LFS objects are in the store, its project files parse."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from schemas.models.canvas_graph import CanvasGraph
from schemas.models.project_manifest import ProjectManifest
from server.gitserve.lfs_objects import MAX_POINTER_SIZE, LfsObject, parse_pointer
from server.gitserve.object_store import ObjectStore
from server.graph.limits import GraphLimitError, GraphLimits
from server.projects.manifest import MANIFEST_FILE

ZERO_ID = "0" * 40
SERVED_BRANCH = "refs/heads/main"


@dataclass(frozen=True)
class RefUpdate:
    old: str
    new: str
    ref: str


def parse_updates(lines: Iterable[str]) -> list[RefUpdate]:
    return [RefUpdate(*line.split()) for line in lines if line.strip()]


def _git(args: list[str], stdin: bytes | None = None) -> bytes:
    return subprocess.run(["git", *args], input=stdin, capture_output=True, check=True).stdout


def _new_blobs(updates: list[RefUpdate]) -> Iterator[tuple[str, int]]:
    tips = [u.new for u in updates if u.new != ZERO_ID]
    if not tips:
        return
    # Objects reachable from the pushed tips and from no existing ref: exactly what this push brings.
    listing = _git(["rev-list", "--objects", *tips, "--not", "--all"])
    ids = b"\n".join(line.split(b" ", 1)[0] for line in listing.splitlines()) + b"\n"
    checked = _git(["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"], ids)
    for line in checked.decode().splitlines():
        object_id, kind, size = line.split()
        if kind == "blob":
            yield object_id, int(size)


def pushed_lfs_objects(updates: list[RefUpdate]) -> set[LfsObject]:
    small = [oid for oid, size in _new_blobs(updates) if size <= MAX_POINTER_SIZE]
    if not small:
        return set()
    found: set[LfsObject] = set()
    output = _git(["cat-file", "--batch"], ("\n".join(small) + "\n").encode())
    position = 0
    while position < len(output):
        header_end = output.index(b"\n", position)
        size = int(output[position:header_end].split()[2])
        blob = output[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        pointer = parse_pointer(blob)
        if pointer is not None:
            found.add(pointer)
    return found


def missing_objects(store: ObjectStore, objects: Iterable[LfsObject]) -> list[LfsObject]:
    return sorted((o for o in objects if store.size_of(o.oid) != o.size), key=lambda o: o.oid)


def project_file_problems(updates: list[RefUpdate], limits: GraphLimits) -> list[str]:
    """The served branch must keep a valid project.json and a canvas within the graph limits: the server
    imports them."""
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
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "(root)"
            problems.append(f"{update.ref} has an invalid project file: {where}: {first['msg']}")
        except GraphLimitError as exc:
            problems.append(f"{update.ref}: {exc.message}")
    return problems


def materialise(store: ObjectStore, objects: Iterable[LfsObject], lfs_dir: Path) -> None:
    """Copy objects the repository's own LFS directory lacks from the store (so the served working
    tree can be checked out when the store is not the repository's storage, e.g. S3)."""
    for obj in objects:
        target = lfs_dir / "objects" / obj.oid[:2] / obj.oid[2:4] / obj.oid
        if not target.exists():
            store.fetch_to(obj, target)
