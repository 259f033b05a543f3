"""The studio's exceptions: one base, each a situation with a message a user can act on."""

from __future__ import annotations

from typing import Any


class StudioError(Exception):
    """Base of every error the server reports to a client; `code` is stable, `message` is a sentence."""

    code = "studio_error"

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details


class InvalidInputError(StudioError):
    code = "invalid_input"


class NotFoundError(StudioError):
    code = "not_found"


class ProjectNotFoundError(NotFoundError):
    code = "project_not_found"

    def __init__(self, project_id: str) -> None:
        super().__init__(
            f"No project with id '{project_id}' is visible to you; list yours with GET /api/v1/projects.",
            field="id",
        )


class UserNotFoundError(NotFoundError):
    code = "user_not_found"


class FileNotInProjectError(NotFoundError):
    code = "file_not_found"


class PathNotAllowedError(StudioError):
    code = "path_not_allowed"


class GraphEditError(InvalidInputError):
    code = "invalid_edit"


class ConflictError(StudioError):
    code = "conflict"


class DuplicateNameError(ConflictError):
    code = "duplicate_name"


class NotInLfsError(ConflictError):
    code = "not_in_lfs"


class VersionConflictError(ConflictError):
    code = "version_conflict"

    def __init__(self, sent_version: int, current_version: int) -> None:
        super().__init__(
            f"The project changed since version {sent_version}; it is now at version {current_version}. "
            "Reload the project (GET /api/v1/projects/{id}), reapply your change and send it with "
            f"version {current_version}.",
            field="version",
            current_version=current_version,
        )


class PayloadTooLargeError(StudioError):
    code = "payload_too_large"


class RateLimitedError(StudioError):
    """Too much, too fast: answered 429 with Retry-After (REST, git) or as a refused socket event."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message, retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


class QuotaExceededError(StudioError):
    """A configured limit on how much one user may hold (projects, queued tasks)."""

    code = "quota_exceeded"


class UnsupportedMediaTypeError(StudioError):
    code = "unsupported_media_type"


class InvalidFilenameError(InvalidInputError):
    code = "invalid_filename"


class UndecodableMediaError(InvalidInputError):
    code = "undecodable_media"


class AuthenticationError(StudioError):
    code = "not_authenticated"


class PermissionDeniedError(StudioError):
    code = "permission_denied"


class GitLfsMissingError(StudioError):
    code = "git_lfs_missing"


class GitCommandError(StudioError):
    code = "git_failed"


class RepositoryBusyError(StudioError):
    """Carries `retry_after_s`, sent as Retry-After."""

    code = "repository_busy"


class ProjectMovedOnError(GitCommandError):
    """A stateless worker's push found the project's branch moved on since it synced: sync and commit again."""

    code = "project_moved_on"
