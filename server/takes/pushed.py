"""Thumbnails for the takes a push brought (a stateless worker's, or a person's): 05_Cache is not versioned, so a
take that was committed elsewhere arrives without one, and the canvas shows thumbnails from here."""

from __future__ import annotations

from pathlib import PurePosixPath

from server.errors import StudioError
from server.media.thumbnails import make_thumbnail
from server.media.types import media_type
from server.projects.git import GitRepo
from server.projects.paths import existing_file, new_file
from server.takes.naming import RENDERS_DIR
from server.takes.store import THUMBNAILS_DIR


def thumbnail_pushed_takes(repo: GitRepo, before: str, after: str) -> list[str]:
    """Make the missing thumbnails of the media files `before..after` added under 03_Renders; returns them."""
    added = repo.run("diff", "--name-only", "-z", "--diff-filter=A", before, after, "--", RENDERS_DIR)
    made = []
    for path in filter(None, added.split("\0")):
        found = media_type(PurePosixPath(path).suffix.lstrip(".").lower())
        if found is None:
            continue  # a sidecar
        thumbnail = f"{THUMBNAILS_DIR}/{PurePosixPath(path).stem}.png"
        try:
            target = new_file(repo.root, thumbnail, folder=THUMBNAILS_DIR)
            if not target.exists() and make_thumbnail(existing_file(repo.root, path), found.kind, target):
                made.append(thumbnail)
        except StudioError:
            continue  # a thumbnail is a convenience: the take stands without it
    return made
