"""What a generate request compiles to and where it runs, decided once at dispatch and kept on the task."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Dispatch:
    queue: str
    pipeline_id: str
    quality_requested: str
    quality_used: str
    # PRD §7.2: a sentence for the user when the requested quality could not be had.
    fallback: str | None
    # Set when the task waits for a worker big enough (policy "queue").
    waiting_for: str | None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Dispatch:
        return cls(**data)
