"""tasks.models.pull: a model pull as a studio task on the one job lifecycle. An administrator starts it over REST;
a worker pulls into its host's store (the same `pull()` as `studio models pull`), reporting the bytes as progress;
a cancel ends the download at its next chunk and leaves only the resumable partial download, never a model."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from server.config import Settings
from server.db.tables import Task, User
from server.dispatch.capabilities import CPU_QUEUE, host_queue
from server.dispatch.registry import WorkerRegistry
from server.errors import InvalidInputError, PermissionDeniedError
from server.jobs.context import JobContext
from server.jobs.kinds import JobKind, JobSpec
from server.jobs.lifecycle import JobSuccess, JobTimeout
from server.jobs.service import NO_QUEUE_MESSAGE, TaskService
from server.models.pull import PullRequest, hub_endpoint, pull, source_of
from server.models.store import ModelStore

STEP = "Downloading"


class PullSpec(JobSpec):
    kind: Literal[JobKind.PULL_MODEL] = JobKind.PULL_MODEL
    name: str = Field(description="The model's folder in the store.")
    repo: str = Field(description="The Hugging Face repository (decided when the pull was started).")
    revision: str
    replace: bool = False


class PullModel:
    kind = JobKind.PULL_MODEL
    spec_type = PullSpec
    noun = "model pull"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def timeout(self) -> JobTimeout:
        return JobTimeout(
            self.settings.model_pull_timeout_s,
            "STUDIO_MODEL_PULL_TIMEOUT_S",
            "pull it again (finished files are kept and a partial file resumes)",
        )

    def inputs(self, spec: PullSpec) -> None:
        return None  # a studio task: no project to read

    def run(self, context: JobContext, spec: PullSpec) -> JobSuccess:
        def on_bytes(done: int, total: int) -> None:
            context.check_cancelled()  # raised in a download thread: it ends the pull, the partial stays
            context.progress(100.0 * done / total if total else 0.0, STEP)

        request = PullRequest(spec.name, spec.repo, spec.revision, hub_endpoint(), spec.replace)
        pull(ModelStore.of(self.settings), request, on_bytes=on_bytes)
        return JobSuccess(output_path=None)


class ModelPulls:
    """Starting a pull: administrators only (the store is the studio's); the name and repository are checked
    here, so a wrong one is a 400 now, not a failed task later."""

    def __init__(self, settings: Settings, tasks: TaskService) -> None:
        self.settings = settings
        self.tasks = tasks

    def start(
        self, user: User, name: str, repo: str | None, revision: str | None, replace: bool, worker: str | None
    ) -> Task:
        if not user.is_admin:
            raise PermissionDeniedError("Only an administrator pulls models into the studio's model store.")
        self.tasks.require_queue()
        repo, revision = source_of(ModelStore.of(self.settings), PullRequest(name, repo, revision))
        queue = CPU_QUEUE if worker is None else self._queue_of(worker)
        spec = PullSpec(name=name, repo=repo, revision=revision, replace=replace)
        return self.tasks.submit(user, None, None, queue, spec)

    def _queue_of(self, worker_id: str) -> str:
        """The queue of the worker's host: every worker there shares its store, any of them may pull."""
        if not self.settings.redis_url:
            raise InvalidInputError(NO_QUEUE_MESSAGE)
        live = {w.worker_id: w for w in WorkerRegistry.from_url(self.settings.redis_url).live()}
        record = live.get(worker_id)
        if record is None:
            raise InvalidInputError(
                f"No live worker '{worker_id}'; GET /api/v1/system/workers lists them (or leave `worker` out: any "
                "worker then pulls into its own host's store).",
                field="worker",
            )
        queue = host_queue(record.host)
        if queue not in record.queues:
            raise InvalidInputError(
                f"Worker '{worker_id}' does not take its host's queue '{queue}' (it was started with --queues "
                f"{','.join(record.queues)}); add it there, or start the pull on another worker.",
                field="worker",
            )
        return queue
