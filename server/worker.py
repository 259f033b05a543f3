"""What a worker process (`studio worker`) runs: the job of every kind, with the database, the Redis event sink and
the pipeline runners it builds once. A composition root: the one place tasks, jobs and realtime meet."""

from __future__ import annotations

from celery import Celery

from server.assembly.job import RenderFinalVideo
from server.config import Settings
from server.db.engine import create_db_engine
from server.generation.job import GenerateShot
from server.generation.runtime import PipelineRunners
from server.jobs.checkouts import checkouts_for
from server.jobs.lifecycle import JobRuntime
from server.jobs.rows import Seat
from server.metrics.task_durations import TaskDurations
from server.models.pull_job import PullModel
from server.realtime.sink import RedisSink
from server.tasks.jobs import WorkerJobs, register_jobs
from server.training.job import TrainLora


def worker_jobs(settings: Settings, served_queues: str, seat: Seat) -> WorkerJobs:
    assert settings.redis_url is not None, "workers run with STUDIO_REDIS_URL set"
    runtime = JobRuntime(
        settings,
        create_db_engine(settings.resolved_database_url),
        RedisSink(settings.redis_url),
        seat,
        TaskDurations.from_url(settings.redis_url),
        checkouts_for(settings),
    )
    runners = PipelineRunners(settings)
    jobs = (
        GenerateShot(settings, runners, served_queues),
        RenderFinalVideo(settings, runtime.engine),
        TrainLora(settings, runners),
        PullModel(settings),
    )
    return runtime, {job.kind: job for job in jobs}


def register_worker_jobs(app: Celery, settings: Settings, served_queues: str, seat: Seat) -> None:
    register_jobs(app, lambda: worker_jobs(settings, served_queues, seat))
