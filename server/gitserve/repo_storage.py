"""Keeps a project repository's own LFS objects (the server's takes) in the shared LFS store.

With the local store, the repository's `lfs.storage` *is* the store: every server-side commit of a take
writes its object straight into it and the working tree of a push is checked out from it, with no copy.
Objects the repository held before (e.g. committed before git hosting was first used) are copied in once.
With S3 the repository keeps its own .git/lfs and objects not yet uploaded are sent on the next git
request for the project (a marker file remembers which were already uploaded)."""

from __future__ import annotations

from pathlib import Path

from server.gitserve.lfs_objects import OID_PATTERN, LfsObject
from server.gitserve.object_store import LocalObjectStore, ObjectStore, store_file
from server.projects.git import GitRepo

SYNCED_MARKER = "studio-synced-oids"


def _local_objects(lfs_dir: Path) -> list[Path]:
    objects = lfs_dir / "objects"
    if not objects.is_dir():
        return []
    return [p for p in objects.glob("??/??/*") if OID_PATTERN.fullmatch(p.name) and p.is_file()]


def _upload_missing(store: ObjectStore, lfs_dir: Path) -> None:
    marker = lfs_dir / SYNCED_MARKER
    synced = set(marker.read_text().split()) if marker.exists() else set()
    fresh = [p for p in _local_objects(lfs_dir) if p.name not in synced]
    for path in fresh:
        obj = LfsObject(path.name, path.stat().st_size)
        if store.size_of(obj.oid) != obj.size:
            store_file(store, obj, path)
    if fresh:
        lfs_dir.mkdir(parents=True, exist_ok=True)
        with marker.open("a") as handle:
            handle.writelines(f"{p.name}\n" for p in fresh)


def attach_to_store(repo: GitRepo, store: ObjectStore) -> None:
    """Idempotent; called before each git request for the project (cheap when nothing changed)."""
    own_dir = repo.root / ".git" / "lfs"
    if isinstance(store, LocalObjectStore):
        wanted = str(store.root)
        current = repo.run("config", "--local", "--default", "", "--get", "lfs.storage").strip()
        if current != wanted:
            store.root.mkdir(parents=True, exist_ok=True)
            _upload_missing(store, own_dir)
            repo.run("config", "--local", "lfs.storage", wanted)
        return
    _upload_missing(store, own_dir)
