"""One Celery task per job kind, each running the job lifecycle by task id. What the jobs need (database, event
sink, runners) comes from the composition root, built once per pool process on first use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from celery import Celery, Task

from server.jobs.kinds import JobKind
from server.jobs.lifecycle import Job, JobRuntime, run_job
from server.logs import context as log_context
from server.tasks.celery_app import REQUEST_ID_HEADER

WorkerJobs = tuple[JobRuntime, Mapping[JobKind, Job[Any]]]


def register_jobs(app: Celery, build: Callable[[], WorkerJobs]) -> None:
    """A task named after each job kind; `build` runs inside the pool process on the first task (engines and
    sockets do not survive a fork)."""
    built = cache(build)
    for kind in JobKind:
        app.task(name=kind.value, bind=True)(_task(built, kind))


def _task(built: Callable[[], WorkerJobs], kind: JobKind) -> Callable[[Task, str], None]:
    def run(self: Task, task_id: str) -> None:
        runtime, jobs = built()
        # The HTTP request that submitted it (CeleryJobQueue.enqueue): the task's log lines carry its id too.
        with log_context.bound(request_id=self.request.get(REQUEST_ID_HEADER)):
            run_job(runtime, jobs[kind], task_id)

    return run
