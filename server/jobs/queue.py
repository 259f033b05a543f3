"""How services hand a job to the workers: a small protocol the composition root implements with Celery, so no
service imports Celery or the task layer."""

from __future__ import annotations

from typing import Protocol

from server.jobs.kinds import JobKind


class JobQueue(Protocol):
    def enqueue(self, kind: JobKind, task_id: str, queue: str, ticket: str) -> None:
        """Send a message `ticket` for the task to `queue`: the worker that takes it runs the first due task of
        that queue (server.jobs.rows.claim_next), by id (the row holds everything else)."""

    def revoke(self, task_id: str) -> None:
        """Drop the task if no worker has taken it yet (a running one is stopped through its row)."""
