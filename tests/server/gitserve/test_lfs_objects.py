"""Object ids and pointer files."""

from __future__ import annotations

import pytest

from server.gitserve.errors import InvalidObjectIdError
from server.gitserve.lfs_objects import LfsObject, looks_like_pointer, object_relpath, parse_pointer, validate_oid

OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"


def test_a_pointer_names_its_object() -> None:
    blob = f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 12345\n".encode()
    assert parse_pointer(blob) == LfsObject(OID, 12345)


@pytest.mark.parametrize(
    "blob",
    [
        b"just a text file\n",
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID.upper()}\nsize 1\n".encode(),
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\n".encode(),
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 1\n".encode() + b"x" * 1024,
    ],
)
def test_other_blobs_are_not_pointers(blob: bytes) -> None:
    assert parse_pointer(blob) is None


@pytest.mark.parametrize(
    "blob",
    [
        f"version https://hawser.github.com/spec/v1\noid sha256:{OID}\nsize 1\n",
        f"version https://git-lfs.github.com/spec/v1\next-0-foo sha256:{OID}\noid sha256:{OID}\nsize 1\n",
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 01\n",
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 1\nextra 1\n",
        f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID.upper()}\nsize 1\n",
    ],
)
def test_pointers_in_another_format_are_recognised_but_not_parsed(blob: str) -> None:
    assert parse_pointer(blob.encode()) is None
    assert looks_like_pointer(blob.encode())


def test_text_that_merely_starts_with_version_is_not_pointer_like() -> None:
    assert not looks_like_pointer(b"version 2 of the script\nINT. TRAIN - NIGHT\n")


@pytest.mark.parametrize("oid", ["", OID[:-1], OID + "0", OID.upper(), "../" + OID[3:], OID[:-1] + "\n"])
def test_only_lowercase_sha256_hex_is_an_oid(oid: str) -> None:
    with pytest.raises(InvalidObjectIdError, match="64 lowercase hexadecimal"):
        validate_oid(oid)


def test_objects_are_laid_out_like_git_lfs_storage() -> None:
    assert object_relpath(OID) == f"objects/4d/7a/{OID}"
