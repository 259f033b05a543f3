"""What the compiler needs to know of a project's files: content hashes and takes by cache key."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from server.errors import StudioError
from server.media.hashes import sha256_of
from server.projects.paths import existing_file, existing_folder
from server.takes.store import contributed_take

RENDERS_DIR = "03_Renders"


class TakeStore(Protocol):
    def content_hash(self, path: str) -> str | None:
        """sha256 of the repo-relative file `path`, or None when there is no such file."""

    def files_under(self, path: str) -> list[str]:
        """`path` itself if it is a file, else the files below it, repo-relative and sorted."""

    def take_for(self, cache_key: str) -> str | None:
        """The repo-relative path of a take made for `cache_key`, if one exists."""

    def contributed_take(self, nodes: Mapping[str, dict[str, Any]], node_id: str) -> str | None:
        """The take node `node_id` shows and contributes: its chosen take, else its newest (None: it has none).
        `nodes` is the graph's nodes by id."""


class RepoTakeStore:
    """A project's working tree. Takes are found by the `cache_key` their sidecar records: the take
    is the file next to the sidecar with the same name and another extension (ARCHITECTURE §8)."""

    def __init__(self, repo_root: Path) -> None:
        self.root = repo_root
        self._hashes: dict[str, str | None] = {}
        self._takes: dict[str, str] | None = None

    def content_hash(self, path: str) -> str | None:
        if path not in self._hashes:
            try:
                self._hashes[path] = sha256_of(existing_file(self.root, path))
            except StudioError:
                self._hashes[path] = None
        return self._hashes[path]

    def files_under(self, path: str) -> list[str]:
        root = self.root.resolve()
        try:
            return [str(existing_file(self.root, path).relative_to(root))]
        except StudioError:
            pass
        try:
            folder = existing_folder(self.root, path)
        except StudioError:
            return []
        # Hidden files and folders (.git above all) are never an asset's files.
        found = (p.relative_to(root) for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        return sorted(str(p) for p in found if not any(part.startswith(".") for part in p.parts))

    def contributed_take(self, nodes: Mapping[str, dict[str, Any]], node_id: str) -> str | None:
        return contributed_take(self.root, nodes, node_id)

    def take_for(self, cache_key: str) -> str | None:
        if self._takes is None:
            self._takes = self._index_takes()
        return self._takes.get(cache_key)

    def _index_takes(self) -> dict[str, str]:
        takes: dict[str, str] = {}
        renders = self.root / RENDERS_DIR
        for sidecar in sorted(renders.rglob("*.json")) if renders.is_dir() else []:
            try:
                key = json.loads(sidecar.read_text(encoding="utf-8")).get("cache_key")
            except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
                continue
            media = [p for p in sidecar.parent.glob(f"{sidecar.stem}.*") if p.suffix != ".json"]
            if isinstance(key, str) and len(media) == 1:
                takes.setdefault(key, str(media[0].relative_to(self.root)))
        return takes
