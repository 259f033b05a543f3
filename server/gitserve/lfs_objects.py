"""Git LFS object ids and pointer files: the current spec (v1) only."""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.gitserve.errors import InvalidObjectIdError

OID_PATTERN = re.compile(r"[0-9a-f]{64}")
POINTER_VERSION = b"version https://git-lfs.github.com/spec/v1\n"
# The spec caps pointer files at 1024 bytes: larger blobs are never pointers.
MAX_POINTER_SIZE = 1024
# Exactly what git-lfs writes: the version line, the sha256 oid, the size, and nothing else (no
# extensions, no other hash, no leading zeros).
_POINTER = re.compile(
    rb"version https://git-lfs\.github\.com/spec/v1\noid sha256:([0-9a-f]{64})\nsize (0|[1-9][0-9]{0,18})\n"
)
# What git-lfs would take for a pointer in some format (older spec URLs, other key orders, extensions).
_POINTER_LIKE = re.compile(rb"\Aversion \S+\n(?:.*\n)*?oid ", re.DOTALL)


@dataclass(frozen=True)
class LfsObject:
    oid: str
    size: int


def validate_oid(oid: str) -> str:
    if not OID_PATTERN.fullmatch(oid):
        raise InvalidObjectIdError(oid)
    return oid


def parse_pointer(blob: bytes) -> LfsObject | None:
    """The object a current-format pointer file names, or None when the blob is not one."""
    match = _POINTER.fullmatch(blob) if len(blob) <= MAX_POINTER_SIZE else None
    return LfsObject(match.group(1).decode(), int(match.group(2))) if match else None


def looks_like_pointer(blob: bytes) -> bool:
    """A small blob git-lfs may read as a pointer (a 'version' line, then an 'oid' line)."""
    return len(blob) <= MAX_POINTER_SIZE and _POINTER_LIKE.match(blob) is not None


def object_relpath(oid: str) -> str:
    """Where git-lfs keeps an object under its storage directory: objects/ab/cd/abcd…"""
    validate_oid(oid)
    return f"objects/{oid[:2]}/{oid[2:4]}/{oid}"
