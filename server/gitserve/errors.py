"""Git hosting errors: each a situation a git client or its user can act on."""

from __future__ import annotations

from server.errors import InvalidInputError, NotFoundError, PathNotAllowedError


class RepositoryPathError(PathNotAllowedError):
    code = "git_path_not_allowed"


class InvalidObjectIdError(InvalidInputError):
    code = "lfs_invalid_oid"

    def __init__(self, oid: str) -> None:
        super().__init__(
            f"'{oid[:80]}' is not a Git LFS object id; it must be 64 lowercase hexadecimal characters (a sha256).",
            field="oid",
        )


class ObjectMismatchError(InvalidInputError):
    code = "lfs_object_mismatch"


class LfsObjectMissingError(NotFoundError):
    code = "lfs_object_missing"

    def __init__(self, oid: str) -> None:
        super().__init__(
            f"The LFS store has no object {oid}; push it first (`git lfs push --all origin`).", field="oid"
        )
