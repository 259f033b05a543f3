# Generated from schemas/run-progress.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field


class ProgressMetrics(BaseModel):
    """
    Numbers a job reports with its progress: a training's loss at its current step.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    loss: float | None = None
    training_step: Annotated[int | None, Field(ge=1)] = None


class RunProgress(BaseModel):
    """
    One progress line a pipeline prints on stdout (sdk.progress). Other stdout lines are logs and are ignored.
    """

    progress: Annotated[float, Field(ge=0.0, le=100.0)]
    step: Annotated[str | None, Field(max_length=200)] = None
    metrics: ProgressMetrics | None = None
