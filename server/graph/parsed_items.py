"""Parsing a graph's raw nodes or edges into models kept by their content, finding what changed a chunk at a time."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import Any, Generic, TypeVar

import orjson

from schemas.models.canvas_graph import CanvasEdge, CanvasNode

# Items serialised together when looking for what changed: a call per chunk costs far less than a call per item,
# and an edit re-keys only the items of its chunk.
CHUNK_ITEMS = 32
Item = TypeVar("Item", CanvasNode, CanvasEdge)


def content_key(item: Any) -> bytes:
    """An item's compact JSON, what its results are kept under. Copied out of orjson's result: orjson sizes each
    result's memory for growth, and a few thousand of them kept at once (every node and edge, on every check) cost
    several times the serialising itself in allocation; a copy is a small object of Python's own allocator."""
    return bytes(memoryview(orjson.dumps(item)))


@dataclass(frozen=True)
class _Chunk(Generic[Item]):
    """A run of consecutive items of the last list parsed: their compact JSON together, and each one's key and model."""

    blob: bytes
    pairs: list[tuple[bytes, Item]]


class ParsedItems(dict[bytes, Item]):
    """Models by the compact JSON of their item, and the last list parsed, in chunks of `CHUNK_ITEMS`. A chunk whose
    JSON is what it was holds the same items (a JSON array splits into its elements one way only), so their keys and
    models are those of the last parse: an edit serialises its own chunk item by item, the rest a chunk at a time.
    Cleared as a whole (the chunks with the models), so a chunk never hands out a model the memo no longer has."""

    def __init__(self, model: type[Item]) -> None:
        super().__init__()
        self.model: type[Item] = model
        self._chunks: list[_Chunk[Item]] = []

    def clear(self) -> None:
        super().clear()
        self._chunks = []

    def parse(self, raw_items: list[Any]) -> list[tuple[bytes, Item]]:
        """Each item's key and model, in order; raises what orjson or the model's validation raises."""
        last, chunks = self._chunks, []
        for at, start in enumerate(range(0, len(raw_items), CHUNK_ITEMS)):
            part = raw_items[start : start + CHUNK_ITEMS]
            blob = orjson.dumps(part)
            if at < len(last) and last[at].blob == blob:
                chunks.append(last[at])
                continue
            keys = list(map(content_key, part))
            # New content, parsed from the key, not from the caller's item, so the model shares nothing with it. (Not
            # set.difference: given a dict subclass, that walks the whole memo.)
            for key in {key for key in keys if key not in self}:
                self[key] = self.model.model_validate(orjson.loads(key), strict=True)
            chunks.append(_Chunk(bytes(memoryview(blob)), list(zip(keys, map(self.__getitem__, keys), strict=True))))
        self._chunks = chunks
        return list(chain.from_iterable(chunk.pairs for chunk in chunks))
