"""A take as every list shows it (schemas/ws-events $defs/TakeSummary): REST takes lists and socket events."""

from __future__ import annotations

from schemas.models.ws_events import TakeSummary
from server.projects.files import files_url
from server.takes.store import Take


def take_summary(project_id: str, take: Take) -> TakeSummary:
    return TakeSummary(
        path=take.path,
        take=take.number,
        url=files_url(project_id, take.path),
        thumbnail_url=files_url(project_id, take.thumbnail) if take.thumbnail else None,
        pipeline=take.sidecar.pipeline.id,
        created_at=take.sidecar.timings.finished_at,
    )
