"""The Celery application, built from Settings (never at import), and the job queue services send through."""

from __future__ import annotations

import socket

from celery import Celery

from server.dispatch.capabilities import CPU_QUEUE
from server.jobs.kinds import JobKind
from server.logs import context as log_context

PING_TASK = "tasks.system.ping"
REQUEST_ID_HEADER = "studio_request_id"  # a message header: the worker finds it in the task's request


def celery_broker_url(redis_url: str) -> str:
    # Celery's Redis transport spells unix sockets redis+socket://, redis-py spells them unix://.
    if redis_url.startswith("unix://"):
        return "redis+socket://" + redis_url.removeprefix("unix://")
    return redis_url


def create_celery_app(redis_url: str, visibility_timeout_s: int) -> Celery:
    """The studio's Celery app; `visibility_timeout_s` is `Settings.visibility_timeout_s` (above every job's limit)."""
    broker = celery_broker_url(redis_url)
    app = Celery("studio", broker=broker, backend=broker)
    app.conf.update(
        task_default_queue=CPU_QUEUE,
        # A task is acknowledged when it finishes, and handed to another worker if its worker dies.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # Redis redelivers an unacknowledged task after this long: it must exceed the longest job's timeout.
        broker_transport_options={"visibility_timeout": visibility_timeout_s},
        result_backend_transport_options={"visibility_timeout": visibility_timeout_s},
        broker_connection_retry_on_startup=True,
        result_expires=24 * 3600,
    )

    @app.task(name=PING_TASK)  # type: ignore[untyped-decorator]
    def ping() -> str:
        """Answers with the worker's host name: proves the broker and a worker are alive."""
        return socket.gethostname()

    return app


class CeleryJobQueue:
    """server.jobs.queue.JobQueue on Celery: a job kind's name is its task's name; the only argument is the id."""

    def __init__(self, app: Celery) -> None:
        self.app = app

    def enqueue(self, kind: JobKind, task_id: str, queue: str, ticket: str) -> None:
        request_id = log_context.request_id.get()
        headers = {REQUEST_ID_HEADER: request_id} if request_id else None
        self.app.send_task(kind.value, args=[task_id], task_id=ticket, queue=queue, headers=headers)

    def revoke(self, task_id: str) -> None:
        self.app.control.revoke(task_id)
