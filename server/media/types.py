"""What a media file is, from its extension: the one table in schemas/media-types.json."""

from __future__ import annotations

from pathlib import Path

from schemas import media_types
from schemas.models.media_types import KindSockets, MediaKind, MediaType
from schemas.models.socket_type import SocketType

__all__ = ["MediaKind", "MediaType", "extensions_of", "media_type", "socket_type_of", "suffix_of"]


def suffix_of(path: Path | str) -> str:
    """The lower-case extension of `path`, without the dot ('' when it has none)."""
    return Path(path).suffix.lstrip(".").lower()


def media_type(extension: str) -> MediaType | None:
    """What a file with this extension (with or without the dot, any case) is; None when it is not media."""
    return media_types().extensions.get(extension.lstrip(".").lower())


def extensions_of(kind: MediaKind) -> list[str]:
    """The extensions of one kind, in the table's order."""
    return [extension for extension, found in media_types().extensions.items() if found.kind is kind]


def socket_type_of(kind: MediaKind) -> SocketType:
    """The socket type an uploaded file of this kind feeds (a picture is an Image, not a Mask)."""
    sockets: KindSockets = getattr(media_types().kinds, kind.value)
    return sockets.socket_types[0]
