"""Git LFS object ids and pointer files (spec v1)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.gitserve.errors import InvalidObjectIdError

OID_PATTERN = re.compile(r"[0-9a-f]{64}")
POINTER_VERSION = b"version https://git-lfs.github.com/spec/v1\n"
# The spec caps pointer files at 1024 bytes: larger blobs are never pointers.
MAX_POINTER_SIZE = 1024
_POINTER = re.compile(rb"^oid sha256:([0-9a-f]{64})\nsize (\d+)\n", re.MULTILINE)


@dataclass(frozen=True)
class LfsObject:
    oid: str
    size: int


def validate_oid(oid: str) -> str:
    if not OID_PATTERN.fullmatch(oid):
        raise InvalidObjectIdError(oid)
    return oid


def parse_pointer(blob: bytes) -> LfsObject | None:
    """The object a pointer file names, or None when the blob is not a pointer."""
    if len(blob) > MAX_POINTER_SIZE or not blob.startswith(POINTER_VERSION):
        return None
    match = _POINTER.search(blob)
    return LfsObject(match.group(1).decode(), int(match.group(2))) if match else None


def object_relpath(oid: str) -> str:
    """Where git-lfs keeps an object under its storage directory: objects/ab/cd/abcd…"""
    validate_oid(oid)
    return f"objects/{oid[:2]}/{oid[2:4]}/{oid}"
