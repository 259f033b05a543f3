"""A project repository's own LFS objects and the shared store, kept in step and linked to the project.

A repository keeps its objects in its own .git/lfs and never reads the shared store: its working tree can
only ever be smudged from objects this project holds. The server's own commits (takes, uploads) put their
objects there through git-lfs's clean filter; before a git or LFS request is answered, those not yet
linked are verified, put in the shared store and linked to the project (`sync_repository_objects`). A push
brings objects the other way: the pre-receive hook copies them, linked already, into .git/lfs.

Repositories from before links read the store directly (`lfs.storage`); `detach_from_store` brings the
objects their history names into .git/lfs and ends that, once (the backfill at start-up)."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from pathlib import Path

from sqlmodel import Session

from server.gitserve.errors import ObjectMismatchError
from server.gitserve.lfs_links import link, linked_oids
from server.gitserve.lfs_objects import OID_PATTERN, LfsObject, object_relpath
from server.gitserve.object_store import ObjectStore
from server.gitserve.push_checks import lfs_objects_in
from server.projects.git import GitRepo

log = logging.getLogger(__name__)


def own_lfs_dir(repo: GitRepo) -> Path:
    return repo.root / ".git" / "lfs"


def _subfolders(folder: str) -> list[str]:
    try:
        with os.scandir(folder) as entries:
            return [e.path for e in entries if e.is_dir(follow_symlinks=False)]
    except FileNotFoundError:
        return []


def _own_objects(lfs_dir: Path) -> dict[str, str]:
    """The objects in `lfs_dir` (objects/ab/cd/<oid>): oid → file. scandir and plain strings, so listing
    thousands of objects costs no stat and no Path per file."""
    found: dict[str, str] = {}
    for first in _subfolders(str(lfs_dir / "objects")):
        for second in _subfolders(first):
            with os.scandir(second) as entries:
                found.update(
                    (e.name, e.path)
                    for e in entries
                    if e.is_file(follow_symlinks=False) and OID_PATTERN.fullmatch(e.name)
                )
    return found


def sync_repository_objects(session: Session, project_id: str, repo: GitRepo, store: ObjectStore) -> None:
    """Put the repository's objects that are not linked yet into the store, and link them. Idempotent; run
    before each git or LFS request that starts a transfer (cheap when nothing changed)."""
    own = _own_objects(own_lfs_dir(repo))
    known = linked_oids(session, project_id)
    fresh = [Path(path) for oid, path in own.items() if oid not in known]
    verified = []
    for path in fresh:
        obj = LfsObject(path.name, path.stat().st_size)
        try:
            if store.size_of(obj.oid) != obj.size:
                store.ingest(obj, path)
        except ObjectMismatchError:
            log.warning("%s: .git/lfs/%s does not match its oid; not served", repo.root.name, object_relpath(obj.oid))
            continue
        verified.append(obj.oid)
    link(session, project_id, verified)


def materialise(store: ObjectStore, objects: Iterable[LfsObject], lfs_dir: Path) -> None:
    """Copy (hard-link where the filesystem allows) objects from the store that `lfs_dir` lacks."""
    for obj in objects:
        target = lfs_dir / object_relpath(obj.oid)
        if not target.exists():
            store.fetch_to(obj, target)


def detach_from_store(repo: GitRepo, store: ObjectStore) -> bool:
    """A repository whose `lfs.storage` names a store gets its own copy of every object its history names
    (hard links where the filesystem allows) and stops reading the store. True when it had to."""
    if not repo.run("config", "--local", "--default", "", "--get", "lfs.storage").strip():
        return False
    held = [o for o in lfs_objects_in(["--all"], repo.root) if store.size_of(o.oid) == o.size]
    materialise(store, held, own_lfs_dir(repo))
    repo.run("config", "--local", "--unset-all", "lfs.storage")
    return True
