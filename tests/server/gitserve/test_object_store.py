"""The local store: verified, atomic, in git-lfs's layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.gitserve.errors import ObjectMismatchError
from server.gitserve.lfs_objects import LfsObject
from server.gitserve.object_store import LocalObjectStore, Spool, store_file
from tests.support.git_client import random_bytes, sha256_hex


def test_a_verified_file_becomes_the_object(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "lfs")
    data = random_bytes(3_000_000, seed=40)
    source = tmp_path / "take.mp4"
    source.write_bytes(data)
    oid = sha256_hex(data)

    store_file(store, LfsObject(oid, len(data)), source)

    assert (tmp_path / "lfs" / "objects" / oid[:2] / oid[2:4] / oid).read_bytes() == data
    assert store.size_of(oid) == len(data) and b"".join(store.read_chunks(oid)) == data
    assert list(store.staging_dir().iterdir()) == [] and source.exists()


@pytest.mark.parametrize("sent", [b"abce", b"abc", b"abcdx"])
def test_content_that_is_not_the_object_is_refused(tmp_path: Path, sent: bytes) -> None:
    store = LocalObjectStore(tmp_path / "lfs")
    expected = LfsObject(sha256_hex(b"abcd"), 4)
    spool = Spool(store, expected)
    with pytest.raises(ObjectMismatchError):
        spool.write(sent)
        spool.finish()
    spool.discard()
    assert store.size_of(expected.oid) is None and list(store.staging_dir().iterdir()) == []


def test_sizes_of_missing_objects_are_none(tmp_path: Path) -> None:
    assert LocalObjectStore(tmp_path).size_of("0" * 64) is None
