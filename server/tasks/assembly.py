"""tasks.assembly.render_final_video: one final render, by task id (the row holds the target)."""

from __future__ import annotations

from functools import cache

from celery import Celery

from server.assembly.job import FinalRender, RenderWorker
from server.config import Settings
from server.db.engine import create_db_engine
from server.realtime.sink import RedisSink
from server.tasks.names import TaskName


def register_assembly(app: Celery, settings: Settings) -> None:
    @cache
    def worker() -> RenderWorker:
        # Built on first use inside each pool process (engines and sockets do not survive a fork).
        assert settings.redis_url is not None
        return RenderWorker(settings, create_db_engine(settings.resolved_database_url), RedisSink(settings.redis_url))

    @app.task(name=TaskName.RENDER_FINAL_VIDEO.value)  # type: ignore[untyped-decorator]
    def render_final_video(task_id: str) -> None:
        FinalRender(worker(), task_id).run()
