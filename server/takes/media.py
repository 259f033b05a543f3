"""What a take holds (streams, frames, keyframes), read from the probe its sidecar keeps, so a render probes nothing;
a take committed before sidecars kept it is probed."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from schemas.models.take_sidecar import MediaProbe
from server.media.probe import MediaInfo, info_from_record, probe
from server.media.processes import ProcessScope


def recorded_probe(media: Path) -> MediaProbe | None:
    """The probe in the sidecar beside `media` (`<stem>.json`, output.probe); None when there is none to trust."""
    sidecar = media.with_suffix(".json")
    try:
        record = json.loads(sidecar.read_text(encoding="utf-8"))["output"]["probe"]
        return MediaProbe.model_validate(record)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, ValidationError):
        return None


def take_media(media: Path, scope: ProcessScope | None = None) -> MediaInfo:
    """`media`'s streams and frames: from its sidecar when it kept them, else probed with ffmpeg."""
    record = recorded_probe(media)
    return info_from_record(media, record) if record is not None else probe(media, scope)
