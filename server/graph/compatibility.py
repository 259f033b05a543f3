"""Which socket type may feed which, as declared in schemas/socket-compatibility.json."""

from __future__ import annotations

from functools import cache

from schemas import SCHEMA_DIR
from schemas.models.socket_compatibility import SocketCompatibility
from schemas.models.socket_type import SocketType

COMPATIBILITY_FILE = SCHEMA_DIR / "socket-compatibility.json"


@cache
def implicit_conversions() -> frozenset[tuple[SocketType, SocketType]]:
    document = SocketCompatibility.model_validate_json(COMPATIBILITY_FILE.read_bytes())
    return frozenset((pair.source, pair.target) for pair in document.implicit)


def can_feed(source: SocketType, target: SocketType) -> bool:
    """True when an output of type `source` may be connected to an input of type `target`."""
    return source == target or (source, target) in implicit_conversions()
