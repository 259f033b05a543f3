"""Trained versions of an asset: the LoRA, its sample and its sidecar committed as loras/<folder>_vNN.*, numbered
after the highest version there is, created exclusively (a version is never overwritten) in one commit with the
asset.json that lists it."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from schemas.models.asset import AssetVersion
from server.assets.documents import ASSETS_DIR, LORAS_DIR, StoredAsset, find_asset, write_document
from server.db.tables import utcnow
from server.errors import ConflictError, StudioError
from server.media.hashes import sha256_of
from server.projects.git import Author, GitRepo
from server.projects.paths import new_file
from server.projects.uploads import require_lfs

log = logging.getLogger(__name__)


def commit_version(
    repo: GitRepo,
    asset_id: str,
    lora: Path,
    sample: Path,
    sidecar: Mapping[str, Any],
    task_id: str,
    base_model: str,
    author: Author,
) -> tuple[StoredAsset, AssetVersion]:
    """Commit the trained `lora` and its `sample` as the asset's next version, with `sidecar` (plus the version's
    own facts) beside them; returns the asset as committed and the new version."""
    with repo.lock():
        stored = find_asset(repo.root, asset_id)
        number = max((v.version for v in stored.asset.versions), default=0) + 1
        stem = f"{LORAS_DIR}/{Path(stored.folder).name}_v{number:02d}"
        version = AssetVersion(
            version=number,
            file=f"{stem}.safetensors",
            sidecar=f"{stem}.json",
            sha256=sha256_of(lora),
            base_model=base_model,
            trained_at=utcnow(),
            task_id=task_id,
            samples=[f"{stem}_sample1.png"],
        )
        document = {**sidecar, "asset": stored.asset.uuid, "version": number, "lora_sha256": version.sha256}
        created: list[str] = []
        try:
            for relative, source in ((version.file, lora), (version.samples[0], sample)):
                require_lfs(repo, stored.path(relative))
                _create(repo, stored.path(relative), source.read_bytes())
                created.append(stored.path(relative))
            _create(repo, stored.path(version.sidecar), (json.dumps(document, indent=2) + "\n").encode())
            created.append(stored.path(version.sidecar))
            changed = StoredAsset(
                stored.asset.model_copy(update={"versions": [*stored.asset.versions, version]}), stored.folder
            )
            write_document(repo.root, changed)
            repo.commit([changed.document, *created], f"asset: train '{stored.asset.name}' v{number:02d}", author)
        except BaseException:
            _withdraw(repo, stored, created)
            raise
    return changed, version


def _create(repo: GitRepo, relative: str, content: bytes) -> None:
    """Write a new file; an existing one is never replaced."""
    target = new_file(repo.root, relative, folder=ASSETS_DIR)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with target.open("xb") as file:
            file.write(content)
    except FileExistsError as exc:
        raise ConflictError(
            f"'{relative}' already exists and versions are never overwritten; remove the stray file and train again."
        ) from exc


def _withdraw(repo: GitRepo, stored: StoredAsset, created: list[str]) -> None:
    """Undo a version whose commit failed: its files go, asset.json is restored from HEAD."""
    for path in created:
        new_file(repo.root, path, folder=ASSETS_DIR).unlink(missing_ok=True)
    try:
        repo.run("reset", "--quiet", "--", stored.folder)
        repo.run("checkout", "--", stored.document)
    except StudioError as exc:  # the commit's failure is the one to report
        log.error("could not restore %s after a failed version commit: %s", stored.document, exc.message)
