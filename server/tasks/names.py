"""Every Celery task name, defined once."""

from __future__ import annotations

from enum import StrEnum


class TaskName(StrEnum):
    PING = "tasks.system.ping"
    GENERATE_SHOT = "tasks.shots.generate"
    RENDER_FINAL_VIDEO = "tasks.assembly.render_final_video"


class Queue(StrEnum):
    CPU = "cpu"
