"""Which repository and which smart-HTTP endpoint a /git/… URL names; anything else is refused."""

from __future__ import annotations

import re
from enum import StrEnum

from server.gitserve.errors import RepositoryPathError

# Project slugs are ASCII letters, digits and '-' (server/projects/naming.py); nothing else can name a
# repository, which rules out '..', '/', '%2f', NUL and every other path trick before any path is built.
_REPO_NAME = re.compile(r"([A-Za-z0-9][A-Za-z0-9-]{0,79})\.git")


class GitService(StrEnum):
    UPLOAD_PACK = "git-upload-pack"
    RECEIVE_PACK = "git-receive-pack"


def slug_of(repo_name: str) -> str:
    match = _REPO_NAME.fullmatch(repo_name)
    if match is None:
        raise RepositoryPathError(
            f"'{repo_name[:80]}' is not a repository name; clone projects as /git/<slug>.git, where <slug> "
            "is the project's folder name shown by GET /api/v1/projects.",
            field="repository",
        )
    return match.group(1)


def service_named(name: str | None) -> GitService:
    try:
        return GitService(name or "")
    except ValueError:
        raise RepositoryPathError(
            f"Unsupported git service '{(name or '')[:40]}'; this server speaks smart HTTP only "
            "(git-upload-pack and git-receive-pack); upgrade git if it asked for the dumb protocol.",
            field="service",
        ) from None
