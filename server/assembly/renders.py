"""A render node's final videos: each render published under a new name, and listed as every list shows them
(GET …/nodes/{node_id}/renders, server:renders_updated).

A render never replaces an earlier one: like takes, each is a new immutable file, its node's output name with the
next version (06_Exports/final_cut_v003.mp4). The tasks table is the index: each succeeded render of the node whose
export is still there, newest first, with the settings its task was asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath

from pydantic import ValidationError
from sqlmodel import Session, col, select

from schemas.models.ws_events import RenderSettings, RenderSummary
from server.assembly.target import EXPORTS_DIR, RenderSpec
from server.db.tables import Task, TaskState
from server.errors import StudioError
from server.jobs.kinds import JobKind
from server.media.probe import MediaInfo, probe
from server.projects.files import files_url
from server.projects.paths import existing_file, new_file
from server.takes.store import link_new


@dataclass(frozen=True)
class Rendered:
    task_id: str
    path: str  # repository-relative, under 06_Exports
    finished_at: datetime
    spec: RenderSpec


def publish_render(repo_root: Path, finished: Path, output_path: str) -> str:
    """Gives the finished video the next free version of `output_path` (06_Exports/final_cut.mp4 →
    06_Exports/final_cut_v003.mp4) and returns that path. A hard link never replaces a name that exists, so two
    renders finishing at once get two versions and an earlier render is never overwritten."""
    wanted = PurePosixPath(output_path)
    versioned = re.compile(rf"{re.escape(wanted.stem)}_v(?P<version>[0-9]{{3,}}){re.escape(wanted.suffix)}")
    folder = new_file(repo_root, output_path, folder=EXPORTS_DIR).parent
    folder.mkdir(parents=True, exist_ok=True)
    taken = (versioned.fullmatch(p.name) for p in folder.iterdir())
    version = max((int(m["version"]) for m in taken if m), default=0)
    while True:
        version += 1
        relative = str(wanted.with_name(f"{wanted.stem}_v{version:03d}{wanted.suffix}"))
        if link_new(finished, new_file(repo_root, relative, folder=EXPORTS_DIR)):
            return relative


def node_renders(
    session: Session, project_id: str, node_id: str, repo_root: Path, just_done: Rendered | None = None
) -> list[RenderSummary]:
    """Newest first; `just_done` is a render finishing now (its row is marked succeeded after it is announced)."""
    rows = session.exec(
        select(Task)
        .where(Task.project_id == project_id, Task.node_id == node_id, Task.kind == JobKind.RENDER_FINAL_VIDEO.value)
        .where(Task.state == TaskState.SUCCEEDED, col(Task.take_path).is_not(None))
        .order_by(col(Task.finished_at), col(Task.id))
    ).all()
    done = [rendered for row in rows if (rendered := _rendered(row)) is not None]
    # Renders made before each got its own file replaced one another: such a file is listed once, by its last render.
    latest = {r.path: r for r in [*done, *([just_done] if just_done else [])]}
    summaries = []
    for render in sorted(latest.values(), key=lambda r: r.finished_at, reverse=True):
        try:
            media = existing_file(repo_root, render.path)
        except StudioError:
            continue  # deleted since, or a path that is no longer confined: not listed
        info = _media(media, media.stat().st_mtime_ns)
        if info is None or info.video is None:
            continue
        sequence = render.spec.sequence
        summaries.append(
            RenderSummary(
                path=render.path,
                url=files_url(project_id, render.path),
                created_at=_aware(render.finished_at),
                duration_s=round(info.frames / info.video.fps, 3),
                frames=info.frames,
                fps=max(int(info.video.fps), 1),
                task_id=render.task_id,
                settings=RenderSettings(
                    sequence_node_id=sequence.node_id,
                    clips=len(sequence.clips),
                    transitions=len(sequence.transitions),
                    titles=len(sequence.titles),
                    conform=sequence.conform,
                    width=info.video.width,
                    height=info.video.height,
                ),
            )
        )
    return summaries


def _rendered(row: Task) -> Rendered | None:
    try:
        spec = RenderSpec.model_validate(row.spec)
    except ValidationError:
        return None  # a row of an older spec shape: its render is not listed
    return Rendered(row.id, str(row.take_path), row.finished_at or row.updated_at, spec)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC back


@lru_cache(maxsize=256)
def _media(path: Path, modified_ns: int) -> MediaInfo | None:
    """The export's streams, probed once per version of the file (`modified_ns` keys the cache)."""
    try:
        return probe(path)
    except StudioError:
        return None
