"""Content hashes of files, read in chunks (media files are large)."""

from __future__ import annotations

import hashlib
from pathlib import Path

HASH_CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
