"""What a job's work is handed: where it runs (project, repository, author; none for a studio job such as a model
pull), how it reports progress, and how it stays stoppable (the cancel token for pipeline runs, the process scope
for everything it starts itself)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from function_runner.execution import CancelToken
from schemas.models.run_progress import ProgressMetrics
from server.db.tables import Project
from server.media.processes import ProcessScope
from server.projects.git import Author, GitRepo

PROGRESS_STEP = 1.0  # percent: progress is published (and stored) in steps of at least this much


@dataclass(frozen=True)
class ProjectPlace:
    """Where a project's job runs: its node, the project, its repository (checked out for the job), the author of
    what the job commits."""

    node_id: str
    project: Project
    repo: GitRepo
    author: Author


@dataclass
class JobContext:
    task_id: str
    place: ProjectPlace | None  # None: a studio job (its task belongs to no project)
    queued_at: datetime
    # Whatever the job starts goes through this scope: a cancel or the timeout kills it, the job's end reaps it.
    processes: ProcessScope
    report: Callable[[float, str, ProgressMetrics | None], None]
    _last: tuple[float, str] = field(default=(-PROGRESS_STEP, ""))

    @property
    def node_id(self) -> str:
        return self._in_project().node_id

    @property
    def project(self) -> Project:
        return self._in_project().project

    @property
    def repo(self) -> GitRepo:
        return self._in_project().repo

    @property
    def author(self) -> Author:
        return self._in_project().author

    def _in_project(self) -> ProjectPlace:
        assert self.place is not None, "only a project's job asks for its project"
        return self.place

    @property
    def token(self) -> CancelToken:
        """For pipeline runs (the Function Runner kills their process or container on it)."""
        return self.processes.token

    def check_cancelled(self) -> None:
        """Raise if the job was cancelled or timed out: call it between units of work that start no process."""
        self.processes.check()

    def progress(self, percent: float, step: str = "", metrics: ProgressMetrics | None = None) -> None:
        """0-100 of the whole job; published when it moved by PROGRESS_STEP, when the step changes, and at 100."""
        percent = min(max(percent, 0.0), 100.0)
        last, last_step = self._last
        if percent - last < PROGRESS_STEP and step == last_step and percent < 100:
            return
        self._last = (percent, step)
        self.report(percent, step, metrics)
