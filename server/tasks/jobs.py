"""One Celery task per job kind. A message is a ticket to run one task of its queue: the first due one in the
studio's order (server.jobs.rows.claim_next), which may be another than the one it was sent for, so moving a task
to the front or pausing a project needs no change to what Celery holds. What the jobs need (database, event sink,
runners) comes from the composition root, built once per pool process on first use."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from celery import Celery, Task

from server.jobs.kinds import JobKind
from server.jobs.lifecycle import Job, JobRuntime, run_next
from server.logs import context as log_context
from server.tasks.celery_app import REQUEST_ID_HEADER

WorkerJobs = tuple[JobRuntime, Mapping[JobKind, Job[Any]]]


def register_jobs(app: Celery, build: Callable[[], WorkerJobs]) -> None:
    """A task named after each job kind; `build` runs inside the pool process on the first task (engines and
    sockets do not survive a fork)."""
    built = cache(build)
    for kind in JobKind:
        app.task(name=kind.value, bind=True)(_task(built))


def _task(built: Callable[[], WorkerJobs]) -> Callable[[Task, str], None]:
    def run(self: Task, task_id: str) -> None:
        runtime, jobs = built()
        # The HTTP request that submitted it (CeleryJobQueue.enqueue): the task's log lines carry its id too.
        # The message may run another task than `task_id` (the queue's first due one): its lines carry the
        # id of the request that sent this message, which is the closest thing to a cause it has.
        with log_context.bound(request_id=self.request.get(REQUEST_ID_HEADER)):
            run_next(runtime, jobs, self.request.id, task_id)

    return run
