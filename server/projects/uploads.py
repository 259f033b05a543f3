"""Source media uploaded into a project: spooled to disk, decoded to check it, stored once, committed to LFS."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from schemas.models.socket_type import SocketType
from server.errors import ConflictError, NotInLfsError, PayloadTooLargeError, StudioError, UndecodableMediaError
from server.media.hashes import sha256_of
from server.media.probe import decode_problem
from server.media.types import MediaKind
from server.projects.git import Author, GitRepo
from server.projects.paths import new_file
from server.projects.upload_names import SOURCE_MEDIA_DIR, UploadName

log = logging.getLogger(__name__)
# Inside .git: on the working tree's filesystem (the finished file is linked into place in one step),
# and invisible to git, to `git status` and to the files route, which refuses .git.
STAGING_DIR = Path(".git") / "studio-uploads"
# `git add` runs the LFS clean filter over the whole file: its time limit grows with the size, at a
# rate a slow disk still reaches.
GIT_BYTES_PER_S = 20 * 1024 * 1024
UPLOAD_LIMIT_SETTING = "STUDIO_UPLOAD_MAX_BYTES"
# A spooled file untouched this long belongs to an upload that died with its server process.
STALE_AFTER_S = 24 * 3600


def describe_size(size: int) -> str:
    """`size` bytes as people write it: '2 GiB', '64 MiB', or the exact number of bytes."""
    for unit, name in ((1024**3, "GiB"), (1024**2, "MiB"), (1024, "KiB")):
        if size >= unit and size % unit == 0:
            return f"{size // unit} {name}"
    return f"{size} bytes"


def too_large_message(max_bytes: int) -> str:
    return (
        f"The upload is larger than the {describe_size(max_bytes)} limit ({UPLOAD_LIMIT_SETTING}); "
        "upload a smaller file, or ask the operator to raise the limit."
    )


class UploadSpool:
    """The request body on its way in: a temporary file in the repository's staging folder, hashed and
    counted as the chunks arrive, so nothing is held in memory and the limit holds for chunked bodies."""

    def __init__(self, repo_root: Path, name: UploadName, max_bytes: int) -> None:
        directory = repo_root / STAGING_DIR
        directory.mkdir(exist_ok=True)
        _sweep(directory)
        fd, temporary = tempfile.mkstemp(prefix="upload-", suffix=f".{name.extension}", dir=directory)
        self.path = Path(temporary)
        self.name = name
        self.max_bytes = max_bytes
        self.size = 0
        self._file = os.fdopen(fd, "wb")
        self._digest = hashlib.sha256()

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise PayloadTooLargeError(too_large_message(self.max_bytes), field="body", limit_bytes=self.max_bytes)
        self._digest.update(chunk)
        self._file.write(chunk)

    def finish(self) -> str:
        """Closes the file, flushed to disk, and returns the sha256 of its content."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._digest.hexdigest()

    def discard(self) -> None:
        """Removes the temporary file; safe to call at any point, and again."""
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)


def _sweep(directory: Path) -> None:
    """Remove what uploads cut short by a crash left behind (a live upload writes its file continually)."""
    cutoff = time.time() - STALE_AFTER_S
    for leftover in directory.glob("upload-*"):
        with contextlib.suppress(FileNotFoundError):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()


@dataclass(frozen=True)
class StoredUpload:
    path: str  # repository-relative
    sha256: str
    size: int
    kind: MediaKind
    socket_type: SocketType
    commit: str | None  # None when the same content was already committed


def store_upload(repo: GitRepo, spool: UploadSpool, author: Author) -> StoredUpload:
    """Check the spooled file, put it at its content-named path and commit it, all or nothing: a refusal
    or a failure leaves neither a file in the working tree nor anything in git."""
    sha256 = verified(spool)
    name = spool.name
    path = name.path_for(sha256)
    repo = replace(repo, timeout_s=repo.timeout_s + spool.size / GIT_BYTES_PER_S)
    with repo.lock():
        require_lfs(repo, path)
        created = place(spool.path, new_file(repo.root, path, folder=SOURCE_MEDIA_DIR), path, sha256, spool.size)
        try:
            commit = repo.commit([path], f"upload: {path}", author)
        except StudioError:
            if created:
                withdraw(repo, path, SOURCE_MEDIA_DIR)
            raise
    return StoredUpload(path, sha256, spool.size, name.kind, name.socket_type, commit)


def verified(spool: UploadSpool) -> str:
    """Close the spooled file and check that it decodes as its kind; returns the sha256 of its content."""
    sha256 = spool.finish()
    name = spool.name
    if spool.size == 0:
        raise UndecodableMediaError(f"'{name.original}' is empty; upload the file itself.", field="body")
    problem = decode_problem(spool.path, name.kind)
    if problem is not None:
        raise UndecodableMediaError(
            f"'{name.original}' could not be decoded as {name.kind.value}: {problem}. "
            f"Upload a complete, playable .{name.extension} file.",
            field="body",
        )
    return sha256


def require_lfs(repo: GitRepo, path: str) -> None:
    # Media must never enter plain git history, where it would stay forever: refuse rather than commit.
    attribute = repo.run("check-attr", "filter", "--", path).strip()
    if not attribute.endswith(": lfs"):
        extension = path.rsplit(".", 1)[-1]
        raise NotInLfsError(
            f"This project's .gitattributes does not send .{extension} files to Git LFS; add the line "
            f"'*.{extension} filter=lfs diff=lfs merge=lfs -text' to .gitattributes, commit it, and upload again.",
            field="filename",
        )


def place(source: Path, target: Path, path: str, sha256: str, size: int) -> bool:
    """Link the verified file into place; False when the same content is already there."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        # A new name for the spooled file: it appears whole or not at all, and never replaces a file.
        os.link(source, target)
        return True
    except FileExistsError:
        pass
    if target.is_file() and not target.is_symlink() and target.stat().st_size == size and sha256_of(target) == sha256:
        return False
    raise ConflictError(
        f"'{path}' already exists with other content; rename the file and upload it again.", field="filename"
    )


def withdraw(repo: GitRepo, path: str, folder: str) -> None:
    """Undo a placement whose commit failed: remove the file and unstage it."""
    new_file(repo.root, path, folder=folder).unlink(missing_ok=True)
    try:
        repo.run("reset", "--quiet", "--", path)
    except StudioError as exc:  # the commit's failure is the one to report
        log.error("could not unstage %s after a failed upload commit: %s", path, exc.message)
