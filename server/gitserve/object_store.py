"""The LFS object store contract, upload verification, and the local-directory store."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from server.gitserve.errors import LfsObjectMissingError, ObjectMismatchError
from server.gitserve.lfs_objects import LfsObject, object_relpath, validate_oid
from server.media.hashes import sha256_of

CHUNK_BYTES = 1024 * 1024


class ObjectStore(Protocol):
    """Content-addressed LFS objects. `adopt` takes a verified file and makes it the object, atomically;
    `ingest` verifies a file that stays where it is and puts the object in the store."""

    def size_of(self, oid: str) -> int | None: ...

    def staging_dir(self) -> Path: ...

    def adopt(self, obj: LfsObject, verified_file: Path) -> None: ...

    def ingest(self, obj: LfsObject, source: Path) -> None: ...

    def read_chunks(self, oid: str) -> Iterator[bytes]: ...

    def fetch_to(self, obj: LfsObject, destination: Path) -> None: ...


class Spool:
    """Receives an upload's bytes into a temporary file beside the store, hashing as it goes."""

    def __init__(self, store: ObjectStore, expected: LfsObject) -> None:
        self.expected = expected
        directory = store.staging_dir()
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f"{expected.oid[:12]}.", suffix=".part", dir=directory)
        self.path = Path(name)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._digest = hashlib.sha256()
        self.size = 0

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.expected.size:
            raise self._mismatch(f"more than the announced {self.expected.size} bytes")
        self._digest.update(chunk)
        self._file.write(chunk)

    def finish(self) -> Path:
        """Closes and checks the file; raises ObjectMismatchError when it is not the announced object."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        if self.size != self.expected.size:
            raise self._mismatch(f"{self.size} bytes where {self.expected.size} were announced")
        if self._digest.hexdigest() != self.expected.oid:
            raise self._mismatch(f"content with sha256 {self._digest.hexdigest()}")
        return self.path

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def _mismatch(self, what: str) -> ObjectMismatchError:
        return ObjectMismatchError(
            f"The upload of LFS object {self.expected.oid} sent {what}; an object's id is the sha256 of "
            "its content: re-run `git lfs push` from an intact copy.",
            field="oid",
        )


def store_file(store: ObjectStore, obj: LfsObject, source: Path) -> None:
    """Verify `source` against `obj` and put a copy in the store (the source is left alone)."""
    spool = Spool(store, obj)
    try:
        with source.open("rb") as handle:
            while chunk := handle.read(CHUNK_BYTES):
                spool.write(chunk)
        store.adopt(obj, spool.finish())
    finally:
        spool.discard()


class LocalObjectStore:
    """Objects under `root` in git-lfs's own layout (objects/ab/cd/<oid>). Objects never change once
    stored, so copies between the store and repositories are hard links where the filesystem allows."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, oid: str) -> Path:
        return self.root / object_relpath(oid)

    def size_of(self, oid: str) -> int | None:
        try:
            return self.path_for(validate_oid(oid)).stat().st_size
        except FileNotFoundError:
            return None

    def staging_dir(self) -> Path:
        return self.root / "incoming"

    def adopt(self, obj: LfsObject, verified_file: Path) -> None:
        target = self.path_for(obj.oid)
        target.parent.mkdir(parents=True, exist_ok=True)
        # Same filesystem (staging is under root): the object appears whole or not at all. Content
        # addressing makes replacing an existing object harmless: it has the same bytes.
        verified_file.replace(target)

    def ingest(self, obj: LfsObject, source: Path) -> None:
        staged = self._staged(obj)
        try:
            _link_or_copy(source, staged)
            if staged.stat().st_size != obj.size or sha256_of(staged) != obj.oid:
                raise ObjectMismatchError(
                    f"{source.name} is not LFS object {obj.oid} ({obj.size} bytes); it was not stored.", field="oid"
                )
            self.adopt(obj, staged)
        finally:
            staged.unlink(missing_ok=True)

    def _staged(self, obj: LfsObject) -> Path:
        directory = self.staging_dir()
        directory.mkdir(parents=True, exist_ok=True)
        return directory / f"{obj.oid[:12]}.{uuid.uuid4().hex}.part"

    def read_chunks(self, oid: str) -> Iterator[bytes]:
        try:
            handle = self.path_for(oid).open("rb")
        except FileNotFoundError as exc:
            raise LfsObjectMissingError(oid) from exc
        with handle:
            while chunk := handle.read(CHUNK_BYTES):
                yield chunk

    def fetch_to(self, obj: LfsObject, destination: Path) -> None:
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
        try:
            _link_or_copy(self.path_for(obj.oid), temporary)
            temporary.replace(destination)
        except FileNotFoundError as exc:
            raise LfsObjectMissingError(obj.oid) from exc
        finally:
            temporary.unlink(missing_ok=True)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV and not isinstance(exc, PermissionError):
            raise
        shutil.copyfile(source, target)
