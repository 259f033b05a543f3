"""tasks.shots.generate: one generation, by task id (the row holds everything else)."""

from __future__ import annotations

from functools import cache

from celery import Celery

from server.config import Settings
from server.db.engine import create_db_engine
from server.generation.execute import Generation, Worker
from server.generation.runtime import PipelineRunners
from server.realtime.sink import RedisSink
from server.tasks.names import TaskName


def register_generation(app: Celery, settings: Settings, queues: str) -> None:
    @cache
    def worker() -> Worker:
        # Built on first use inside each pool process (engines and sockets do not survive a fork).
        assert settings.redis_url is not None
        return Worker(
            settings,
            create_db_engine(settings.resolved_database_url),
            PipelineRunners(settings),
            RedisSink(settings.redis_url),
            queues,
        )

    @app.task(name=TaskName.GENERATE_SHOT.value)  # type: ignore[untyped-decorator]
    def generate(task_id: str) -> None:
        Generation(worker(), task_id).run()
