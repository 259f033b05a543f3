"""A render node's final videos as every list shows them (GET …/nodes/{node_id}/renders, server:renders_updated).

The tasks table is the index: each succeeded render of the node whose export is still there. A render writes its
node's one file in 06_Exports (output_name), so a new render replaces the file: each file is listed once, by the
render that wrote it last.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlmodel import Session, col, select

from schemas.models.ws_events import RenderSummary
from server.db.tables import Task, TaskState
from server.errors import StudioError
from server.jobs.kinds import JobKind
from server.media.probe import MediaInfo, probe
from server.projects.files import files_url
from server.projects.paths import existing_file


@dataclass(frozen=True)
class Rendered:
    task_id: str
    path: str  # repository-relative, under 06_Exports
    finished_at: datetime


def node_renders(
    session: Session, project_id: str, node_id: str, repo_root: Path, just_done: Rendered | None = None
) -> list[RenderSummary]:
    """Oldest first; `just_done` is a render finishing now (its row is marked succeeded after it is announced)."""
    rows = session.exec(
        select(Task)
        .where(Task.project_id == project_id, Task.node_id == node_id, Task.kind == JobKind.RENDER_FINAL_VIDEO.value)
        .where(Task.state == TaskState.SUCCEEDED, col(Task.take_path).is_not(None))
        .order_by(col(Task.finished_at), col(Task.id))
    ).all()
    done = [Rendered(t.id, str(t.take_path), t.finished_at or t.updated_at) for t in rows]
    latest = {r.path: r for r in [*done, *([just_done] if just_done else [])]}  # the last render of each file
    summaries = []
    for render in sorted(latest.values(), key=lambda r: r.finished_at):
        try:
            media = existing_file(repo_root, render.path)
        except StudioError:
            continue  # deleted since, or a path that is no longer confined: not listed
        info = _media(media, media.stat().st_mtime_ns)
        if info is None or info.video is None:
            continue
        fps = int(info.video.fps)
        summaries.append(
            RenderSummary(
                path=render.path,
                url=files_url(project_id, render.path),
                created_at=_aware(render.finished_at),
                duration_s=round(info.frames / info.video.fps, 3),
                frames=info.frames,
                fps=max(fps, 1),
                task_id=render.task_id,
            )
        )
    return summaries


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC back


@lru_cache(maxsize=256)
def _media(path: Path, modified_ns: int) -> MediaInfo | None:
    """The export's streams, probed once per version of the file (`modified_ns` keys the cache)."""
    try:
        return probe(path)
    except StudioError:
        return None
