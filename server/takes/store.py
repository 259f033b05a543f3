"""Writing takes exclusively (never overwritten, never partially visible) and reading them back."""

from __future__ import annotations

import json
import logging
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from schemas.models.take_sidecar import TakeSidecar
from server.errors import InvalidInputError, ProjectMovedOnError, StudioError
from server.media.hashes import sha256_of
from server.media.probe import probe, probe_record
from server.media.thumbnails import make_thumbnail
from server.media.types import MediaKind, media_type
from server.projects.git import Author, GitRepo
from server.projects.paths import existing_file, existing_folder, new_file, new_folder
from server.takes.naming import MAX_TAKE, ShotSlot
from server.takes.slots import slot_for

THUMBNAILS_DIR = "05_Cache/thumbnails"
PUSH_ATTEMPTS = 5  # a stateless worker's push overtaken this often in a row fails the take

log = logging.getLogger(__name__)


class TakeLimitError(StudioError):
    code = "take_limit"


@dataclass(frozen=True)
class Take:
    path: str  # repository-relative media file
    sidecar_path: str
    sidecar: TakeSidecar
    thumbnail: str | None  # repository-relative, under the ignored 05_Cache
    commit: str | None = None

    @property
    def number(self) -> int:
        return self.sidecar.take_number


def link_new(content_source: Path, target: Path) -> bool:
    """Make `target` a new name of `content_source`; False if `target` already exists. Atomic: `target`
    appears complete or not at all, and an existing file is never replaced."""
    try:
        os.link(content_source, target)
    except FileExistsError:
        return False
    return True


def _staged(folder: Path, suffix: str) -> Path:
    return folder / f".incoming-{uuid.uuid4().hex}{suffix}"


def _unreadable_reason(error: OSError | ValidationError) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        return f"{where}: {first['msg']}"
    return error.strerror or type(error).__name__


def _sidecars(repo_root: Path, slot: ShotSlot) -> list[tuple[Path, TakeSidecar]]:
    try:
        folder = existing_folder(repo_root, slot.folder)
    except StudioError:
        return []
    found = []
    for path in sorted(folder.glob(f"{slot.shot_id}_v{slot.version:02d}_take*.json")):
        try:
            sidecar = TakeSidecar.model_validate_json(path.read_bytes())
        except (OSError, ValidationError) as error:
            # Left out of the node's takes, but said: a silently skipped sidecar once hid every sound-only take.
            log.warning(
                "Take sidecar %s/%s is left out of its shot's takes: it cannot be read (%s).",
                slot.folder,
                path.name,
                _unreadable_reason(error),
            )
            continue
        if slot.take_number(sidecar.take) is not None:  # a plain file name: confined to the folder
            found.append((path, sidecar))
    return found


def _take_from(repo_root: Path, slot: ShotSlot, sidecar_path: Path, sidecar: TakeSidecar) -> Take | None:
    media = sidecar_path.parent / sidecar.take
    if media.is_symlink() or not media.is_file():
        return None
    thumbnail = f"{THUMBNAILS_DIR}/{media.stem}.png"
    return Take(
        path=f"{slot.folder}/{sidecar.take}",
        sidecar_path=f"{slot.folder}/{sidecar_path.name}",
        sidecar=sidecar,
        thumbnail=thumbnail if _is_file(repo_root, thumbnail) else None,
    )


def _is_file(repo_root: Path, relative: str) -> bool:
    try:
        existing_file(repo_root, relative)
    except StudioError:
        return False
    return True


def list_takes(repo_root: Path, slot: ShotSlot) -> list[Take]:
    """The takes of a shot at a version, read from its render folder (the folder is the truth)."""
    takes = (_take_from(repo_root, slot, path, sidecar) for path, sidecar in _sidecars(repo_root, slot))
    return sorted((t for t in takes if t is not None), key=lambda t: t.number)


def contributed_take(repo_root: Path, nodes: Mapping[str, dict[str, Any]], node_id: str) -> str | None:
    """The take a node shows on the canvas and contributes to the nodes it feeds (ARCHITECTURE §12): its chosen
    take (`active_take`), else its newest; None when it has neither. The canvas applies the same rule
    (canvas_frontend/src/lib/graph/takes.ts, shownTake): what a node shows is what it contributes. `nodes` is the
    graph's nodes by id (`nodes_by_id`), built once by a caller that asks for many nodes."""
    node = nodes.get(node_id)
    if node is None:
        return None
    chosen = node["data"].get("active_take")
    if isinstance(chosen, str) and chosen:
        return chosen
    try:
        takes = list_takes(repo_root, slot_for(nodes, node_id))
    except InvalidInputError:
        return None  # a malformed shot id or version names no render folder: the node has no takes
    return takes[-1].path if takes else None


def commit_take(repo: GitRepo, slot: ShotSlot, produced: Path, sidecar_fields: dict[str, Any], author: Author) -> Take:
    """Add `produced` as the next take of `slot` with its sidecar, in one commit, under the repository lock.

    Idempotent per task: a take already made for `sidecar_fields['task_id']` is returned, not made twice
    (a task re-delivered after a worker died must not leave two takes)."""
    extension = produced.suffix.lstrip(".").lower()
    found = media_type(extension)
    if found is None:
        raise InvalidInputError(
            f"'{produced.name}' is not a media type a take can be (see schemas/media-types.json: png, jpg, webp, "
            "mp4, mov, webm, wav, mp3, flac, m4a …)."
        )
    output = {
        **sidecar_fields.get("output", {}),
        "sha256": sha256_of(produced),
        "size": produced.stat().st_size,
        "media_type": found.mime,
    }
    if found.kind in (MediaKind.video, MediaKind.audio):
        # Kept so that a render reads streams, frame count and GOPs from here instead of probing every take.
        output["probe"] = probe_record(probe(produced)).model_dump(mode="json")
    folder = new_folder(repo.root, slot.folder)
    # A stateless worker's clone (server.gitserve.worker_checkout) syncs when its lock is taken and pushes when it is
    # released; a push overtaken by another change meanwhile is decided again on the project's new state.
    for attempt in range(1, PUSH_ATTEMPTS + 1):
        try:
            take, made_now = _claim_and_commit(repo, slot, folder, produced, sidecar_fields, output, author)
            break
        except ProjectMovedOnError:
            if attempt == PUSH_ATTEMPTS:
                raise
    if not made_now:
        return take
    thumbnail = f"{THUMBNAILS_DIR}/{slot.stem(take.number)}.png"
    made = make_thumbnail(folder / take.sidecar.take, found.kind, new_file(repo.root, thumbnail, folder=THUMBNAILS_DIR))
    return Take(**{**take.__dict__, "thumbnail": thumbnail if made else None})


def _claim_and_commit(
    repo: GitRepo,
    slot: ShotSlot,
    folder: Path,
    produced: Path,
    sidecar_fields: dict[str, Any],
    output: dict[str, Any],
    author: Author,
) -> tuple[Take, bool]:
    """Under the lock: the take this task already has (False), or the next number claimed and committed (True)."""
    extension = produced.suffix.lstrip(".").lower()
    with repo.lock():
        for path, sidecar in _sidecars(repo.root, slot):
            if sidecar.task_id == sidecar_fields["task_id"]:
                existing = _take_from(repo.root, slot, path, sidecar)
                if existing is not None:
                    commit = repo.commit([existing.path, existing.sidecar_path], _message(slot, sidecar), author)
                    return Take(**{**existing.__dict__, "commit": commit}), False
                path.unlink()  # a sidecar whose media never arrived: the claim is void
        folder.mkdir(parents=True, exist_ok=True)
        taken = [n for p in folder.iterdir() if (n := slot.take_number(p.name)) is not None]
        number = max(taken, default=0) + 1
        # Claim the number by linking the sidecar into place; a concurrent writer makes us move on.
        while True:
            if number > MAX_TAKE:
                raise TakeLimitError(f"{slot.shot_id} v{slot.version:02d} has {MAX_TAKE} takes; bump its version.")
            sidecar = TakeSidecar.model_validate(
                {
                    **sidecar_fields,
                    "schema_version": 1,
                    "take": f"{slot.stem(number)}.{extension}",
                    "shot_id": slot.shot_id,
                    "scene": slot.scene,
                    "version": slot.version,
                    "take_number": number,
                    "output": output,
                }
            )
            staged = _staged(folder, ".json")
            staged.write_text(json.dumps(sidecar.model_dump(mode="json", exclude_none=True), indent=2) + "\n")
            claimed = link_new(staged, folder / f"{slot.stem(number)}.json")
            staged.unlink()
            if claimed:
                break
            number += 1
        staged = _staged(folder, f".{extension}")
        shutil.copyfile(produced, staged)
        try:
            if not link_new(staged, folder / sidecar.take):
                raise StudioError(f"{slot.folder}/{sidecar.take} appeared while it was being written; retry.")
        finally:
            staged.unlink()
        take = _take_from(repo.root, slot, folder / f"{slot.stem(number)}.json", sidecar)
        assert take is not None
        commit = repo.commit([take.path, take.sidecar_path], _message(slot, sidecar), author)
    return Take(**{**take.__dict__, "commit": commit}), True


def _message(slot: ShotSlot, sidecar: TakeSidecar) -> str:
    return f"take: {slot.shot_id} v{slot.version:02d} take{sidecar.take_number:02d} ({sidecar.pipeline.id})"
