"""Every kind of long job, named once (the name is also its Celery task and its row's `kind`), and the base of the
typed spec each kind keeps in its row."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class JobKind(StrEnum):
    GENERATE_SHOT = "tasks.shots.generate"
    RENDER_FINAL_VIDEO = "tasks.assembly.render_final_video"
    TRAIN_LORA = "tasks.assets.train_lora"
    PULL_MODEL = "tasks.models.pull"


class JobSpec(BaseModel):
    """What one task of a kind does (`Task.spec`): each kind extends this with its own fields and a Literal kind,
    so the API can show the specs as one union discriminated by `kind`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: JobKind
