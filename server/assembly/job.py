"""The worker side of tasks.assembly.render_final_video: compile, export, render into 06_Exports, report."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from server.assembly.exports import write_exports
from server.assembly.plan import render_plan
from server.assembly.render import render
from server.assembly.sequence import read_sequence
from server.assembly.target import EXPORTS_DIR, RenderTarget
from server.assembly.timeline import build_timeline
from server.config import Settings
from server.db.tables import Project, Task, TaskState, User, utcnow
from server.errors import StudioError
from server.events import EventSink, ServerEvent
from server.projects.git import GitRepo, studio_author
from server.projects.paths import new_file

log = logging.getLogger(__name__)
PROGRESS_STEP = 2.0  # percent: fewer, coarser events for a long render


def files_url(project_id: str, path: str) -> str:
    return f"/api/v1/projects/{project_id}/files/{path}"


@dataclass(frozen=True)
class RenderWorker:
    settings: Settings
    engine: Engine
    events: EventSink


class FinalRender:
    """One run of one render task (a re-delivered task renders again; the file is replaced atomically)."""

    def __init__(self, worker: RenderWorker, task_id: str) -> None:
        self.worker = worker
        self.task_id = task_id
        self._last_progress = -PROGRESS_STEP

    def _update(self, **values: Any) -> None:
        with Session(self.worker.engine) as session:
            task = session.get(Task, self.task_id)
            if task is None:
                return
            for name, value in values.items():
                setattr(task, name, value)
            task.updated_at = utcnow()
            session.add(task)
            session.commit()

    def run(self) -> None:
        with Session(self.worker.engine, expire_on_commit=False) as session:
            task = session.get(Task, self.task_id)
            if task is None or task.state in (TaskState.SUCCEEDED, TaskState.CANCELLED):
                return
            project = session.get(Project, task.project_id)
            user = session.get(User, task.user_id) if task.user_id else None
        node_id = task.node_id or ""
        if project is None:
            self._update(state=TaskState.FAILED, error="The project was deleted.", finished_at=utcnow())
            return
        self._update(state=TaskState.RUNNING, started_at=utcnow(), attempts=task.attempts + 1, error=None)
        publish = self.worker.events.publish
        publish(
            project.id,
            ServerEvent.NODE_STATE_UPDATED,
            {"node_id": node_id, "state": "generating", "task_id": self.task_id},
        )
        try:
            output = self._render(project, node_id, RenderTarget.from_json(json.loads(task.dispatch)), user)
        except StudioError as exc:
            self._fail(project.id, node_id, exc.message)
            return
        except Exception as exc:
            log.exception("render %s failed", self.task_id)
            self._fail(project.id, node_id, f"The render failed unexpectedly ({exc.__class__.__name__}: {exc}).")
            return
        self._update(state=TaskState.SUCCEEDED, progress=100.0, take_path=output, finished_at=utcnow())
        publish(
            project.id,
            ServerEvent.TASK_SUCCESS,
            {"task_id": self.task_id, "node_id": node_id, "result": {"output_url": files_url(project.id, output)}},
        )
        publish(
            project.id, ServerEvent.NODE_STATE_UPDATED, {"node_id": node_id, "state": "done", "task_id": self.task_id}
        )

    def _render(self, project: Project, node_id: str, target: RenderTarget, user: User | None) -> str:
        repo = GitRepo(self.worker.settings.projects_dir / project.slug, self.worker.settings.git_timeout_seconds)
        graph = json.loads(project.graph)
        sequence = read_sequence(graph, target.sequence_node_id, repo)
        timeline = build_timeline(sequence, repo.root)
        author = studio_author(user.username if user else "studio")
        write_exports(repo, timeline, target.sequence_node_id, author)  # the EDL the render follows, committed
        self._progress(project.id, node_id, 5.0, "exported EDL, OTIO and XML")
        plan = render_plan(timeline, repo.root)
        chosen = render(
            plan,
            new_file(repo.root, target.output_path, folder=EXPORTS_DIR),
            lambda p: self._progress(project.id, node_id, 5 + 0.95 * p, "rendering"),
        )
        log.info("render %s: %d frames by %s", self.task_id, plan.total_frames, chosen.value)
        return target.output_path

    def _progress(self, project_id: str, node_id: str, progress: float, step: str) -> None:
        if progress - self._last_progress < PROGRESS_STEP and progress < 100:
            return
        self._last_progress = progress
        self._update(progress=round(progress, 1))
        self.worker.events.publish(
            project_id,
            ServerEvent.TASK_PROGRESS,
            {"task_id": self.task_id, "node_id": node_id, "progress": round(min(progress, 100.0), 1), "step": step},
        )

    def _fail(self, project_id: str, node_id: str, message: str) -> None:
        self._update(state=TaskState.FAILED, error=message, finished_at=utcnow())
        self.worker.events.publish(
            project_id, ServerEvent.TASK_FAILED, {"task_id": self.task_id, "node_id": node_id, "error": message}
        )
        self.worker.events.publish(
            project_id, ServerEvent.NODE_STATE_UPDATED, {"node_id": node_id, "state": "failed", "task_id": self.task_id}
        )
