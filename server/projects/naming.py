"""Project titles and the folder names (slugs) derived from them."""

from __future__ import annotations

import re
import unicodedata

from server.errors import InvalidInputError

MAX_TITLE_LENGTH = 100
MAX_SLUG_LENGTH = 64
# Path separators, shell/Windows-reserved characters and control characters: a title becomes a folder
# name and a git URL, so none of these may appear in it.
_FORBIDDEN_TITLE_CHARS = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f]')
_NON_SLUG = re.compile(r"[^A-Za-z0-9]+")


def validate_title(raw: str) -> str:
    title = raw.strip()
    if not title:
        raise InvalidInputError("The project name is empty; give it a name such as 'My Short Film'.", field="name")
    if len(title) > MAX_TITLE_LENGTH:
        raise InvalidInputError(
            f"The project name has {len(title)} characters; shorten it to at most {MAX_TITLE_LENGTH}.",
            field="name",
        )
    bad = _FORBIDDEN_TITLE_CHARS.search(title)
    if bad:
        raise InvalidInputError(
            f"The project name contains {bad.group()!r}, which cannot appear in a folder name; "
            'remove / \\ : * ? " < > | and control characters.',
            field="name",
        )
    if set(title) <= {"."}:
        raise InvalidInputError("A project name cannot be only dots; use letters or digits.", field="name")
    return title


def title_key(title: str) -> str:
    """What makes two titles 'the same' for one owner: case and Unicode form do not count."""
    return unicodedata.normalize("NFKC", title).casefold()


def slug_base(title: str) -> str:
    """ASCII folder name for a title: 'Ödland — Teaser (v2)' -> 'Odland-Teaser-v2'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NON_SLUG.sub("-", ascii_title).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    return slug or "project"
