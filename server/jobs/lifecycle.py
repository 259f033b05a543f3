"""The one lifecycle of every long job: claim the task, run its kind's work under a watch for cancel and timeout,
and report its end once, typed, unless a cancel came first (then nothing is reported and nothing overwritten)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import redis
from sqlalchemy import Engine
from sqlmodel import Session

from function_runner.errors import RunnerError
from schemas.models.run_progress import ProgressMetrics
from schemas.models.ws_events import NodeState, Result, TakeSummary
from server.config import Settings
from server.db.tables import Project, Task, TaskState, User
from server.errors import StudioError
from server.events import EventSink, ServerEvent
from server.jobs import rows
from server.jobs.checkouts import ProjectCheckouts, SharedDisk
from server.jobs.context import JobContext, ProjectPlace
from server.jobs.events import TaskEvents
from server.jobs.kinds import JobKind, JobSpec
from server.logs import context as log_context
from server.media.processes import ProcessScope
from server.metrics.task_durations import TaskDurations
from server.projects.files import files_url
from server.projects.git import GitRepo, studio_author

log = logging.getLogger(__name__)
WATCH_POLL_S = 0.5  # how soon a cancel (a state change any API process may make) reaches the running job

SpecT = TypeVar("SpecT", bound=JobSpec)


@dataclass(frozen=True)
class JobRuntime:
    """What a worker process builds once and lends to every job it runs."""

    settings: Settings
    engine: Engine
    events: EventSink
    seat: rows.Seat = field(default_factory=rows.Seat)  # recorded on each task it claims
    durations: TaskDurations | None = None  # where each ended task's durations are reported (metrics)
    checkouts: ProjectCheckouts | None = None  # where jobs find their project; None: the workspace on this disk


@dataclass(frozen=True)
class JobSuccess:
    output_path: str | None  # repository-relative: the take, or the export; None: no project file (a pulled model)
    take: TakeSummary | None = None
    # Published before server:task_success (e.g. the node's new takes list).
    announcements: tuple[ServerEvent, ...] = ()


@dataclass(frozen=True)
class JobTimeout:
    seconds: int
    setting: str  # the environment variable that sets it
    remedy: str  # besides raising the limit

    def message(self, noun: str) -> str:
        return (
            f"The {noun} ran longer than its limit of {self.seconds} s ({self.setting}) and was stopped; raise the "
            f"limit or {self.remedy}."
        )


class Job(Protocol[SpecT]):
    """A kind of long job: its typed spec (the task row's `spec`), its limit, and its work."""

    kind: JobKind
    spec_type: type[SpecT]
    noun: str  # "generation", "render": for messages

    def timeout(self) -> JobTimeout: ...

    def inputs(self, spec: SpecT) -> list[str] | None:
        """The repository files the work reads (a stateless worker fetches only their LFS objects); None: all."""

    def run(self, context: JobContext, spec: SpecT) -> JobSuccess:
        """Do the work; raise StudioError or RunnerError with a sentence when it cannot be done."""


class _Watch:
    """Polls the task's row for a cancel and the clock for the timeout; either one cancels the token."""

    def __init__(self, engine: Engine, task_id: str, scope: ProcessScope, timeout_s: float) -> None:
        self.engine = engine
        self.task_id = task_id
        self.scope = scope
        self.deadline = time.monotonic() + timeout_s
        self.timed_out = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"watch-{task_id}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(WATCH_POLL_S):
            if time.monotonic() > self.deadline:
                self.timed_out = True
            if self.timed_out or rows.is_cancelled(self.engine, self.task_id):
                self.scope.token.cancel()
                return

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_next(runtime: JobRuntime, jobs: Mapping[JobKind, Job[Any]], ticket: str, issued_for: str) -> str | None:
    """What one Celery message does: run the first due task of the queue it was sent to for `issued_for` (the
    studio's order, paused projects skipped; server.jobs.rows.claim_next), or nothing when none is due. Returns
    the task it ran."""
    with Session(runtime.engine) as session:
        issued = session.get(Task, issued_for)
        queue = issued.queue if issued is not None else None
    if queue is None:
        return None  # its project was deleted: the tasks of other projects have messages of their own
    task_id = rows.claim_next(runtime.engine, ticket, queue, runtime.seat)
    if task_id is not None:
        _run_observed(runtime, jobs, task_id)
    return task_id


def run_job(runtime: JobRuntime, job: Job[Any], task_id: str) -> None:
    """Run task `task_id` of kind `job` (idempotent: a finished task is left alone, a re-delivered running one
    whose worker died runs again)."""
    if rows.claim(runtime.engine, task_id):  # else unknown, cancelled before it started, or finished
        _run_observed(runtime, {job.kind: job}, task_id)


def _run_observed(runtime: JobRuntime, jobs: Mapping[JobKind, Job[Any]], task_id: str) -> None:
    """Run a claimed task with its ids on every log line, and report how long it waited and ran (metrics)."""
    started = time.monotonic()
    with Session(runtime.engine, expire_on_commit=False) as session:
        task = session.get(Task, task_id)
        assert task is not None, "claimed tasks exist"
        assert task.project_id is None or task.node_id is not None, "a project's tasks belong to a node"
        job = jobs[JobKind(task.kind)]
        project = session.get(Project, task.project_id) if task.project_id is not None else None
        user = session.get(User, task.user_id) if task.user_id else None
    queued_s = ((task.started_at or task.created_at) - task.created_at).total_seconds()
    with log_context.bound(task_id=task_id, project_id=task.project_id):
        log.info("%s %s started after %.1f s in the queue", job.noun, task_id, queued_s)
        _run_claimed(runtime, job, task, project, user)
        running_s = time.monotonic() - started
        state = rows.state_of(runtime.engine, task_id)
        outcome = state.value if state is not None else "deleted"
        log.info("%s %s ended %s after %.1f s", job.noun, task_id, outcome, running_s)
    if runtime.durations is not None:
        try:
            runtime.durations.observe(job.kind.value, outcome, queued_s, running_s)
        except (redis.RedisError, OSError):  # metrics never fail a job
            log.warning("could not report the durations of task %s", task_id, exc_info=True)


def _run_claimed(runtime: JobRuntime, job: Job[Any], task: Task, project: Project | None, user: User | None) -> None:
    task_id = task.id
    if task.project_id is not None and project is None:
        rows.finish(runtime.engine, task_id, TaskState.FAILED, error="The project was deleted.")
        return
    events = TaskEvents(runtime.events, task.project_id, task.node_id, task_id)
    events.node_state(NodeState.generating)
    scope = ProcessScope()
    settings = runtime.settings

    def report(percent: float, step: str, metrics: ProgressMetrics | None) -> None:
        rows.record_progress(runtime.engine, task_id, round(percent, 1))
        events.progress(percent, step, metrics)

    node_id, opened = task.node_id, project  # narrowed, for the closure

    def context_in(repo: GitRepo | None) -> JobContext:
        place = None
        if repo is not None:
            assert opened is not None and node_id is not None
            place = ProjectPlace(node_id, opened, repo, studio_author(user.username if user else "studio"))
        return JobContext(task_id=task_id, place=place, queued_at=task.created_at, processes=scope, report=report)

    checkouts = runtime.checkouts or SharedDisk(settings)
    timeout = job.timeout()
    watch = _Watch(runtime.engine, task_id, scope, timeout.seconds)
    try:
        outcome = _work(job, checkouts, project, context_in, task.spec)
    finally:
        watch.stop()
        scope.kill_all()  # nothing the job started outlives it
    if watch.timed_out:
        outcome = timeout.message(job.noun)
    elif scope.token.cancelled:
        return  # the cancel set the state and told the clients; no late success or failure
    _report_end(runtime.engine, events, task_id, outcome)


def _work(
    job: Job[Any],
    checkouts: ProjectCheckouts,
    project: Project | None,
    context_in: Callable[[GitRepo | None], JobContext],
    spec: dict[str, Any],
) -> JobSuccess | str:
    """The job's success, or the sentence that says why it failed."""
    context: JobContext | None = None
    try:
        typed = job.spec_type.model_validate(spec)
        # A studio job (no project) has no repository to open.
        opened = checkouts.open(project, job.inputs(typed)) if project is not None else nullcontext(None)
        with opened as repo:
            context = context_in(repo)
            return job.run(context, typed)
    except (StudioError, RunnerError) as exc:
        return exc.message
    except Exception as exc:
        if context is None or not context.token.cancelled:  # a killed process's fallout is no error of its own
            log.exception("%s failed", job.noun)
        return f"The {job.noun} failed unexpectedly ({exc.__class__.__name__}: {exc})."


def _report_end(engine: Engine, events: TaskEvents, task_id: str, outcome: JobSuccess | str) -> None:
    """Store the end and announce it, only if the task is still running (a cancel may have come meanwhile)."""
    if isinstance(outcome, str):
        if rows.finish(engine, task_id, TaskState.FAILED, error=outcome):
            events.failed(outcome)
    elif rows.finish(engine, task_id, TaskState.SUCCEEDED, progress=100.0, take_path=outcome.output_path):
        for event in outcome.announcements:
            events.publish(event)
        result = Result()
        if outcome.output_path is not None:
            assert events.project_id is not None, "an output file is a project's"
            result.output_url = files_url(events.project_id, outcome.output_path)  # set, or absent: never null
        if outcome.take is not None:
            result.take = outcome.take  # set only when there is one: `take` is an object or absent, never null
        events.succeeded(result)
