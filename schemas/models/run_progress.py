# Generated from schemas/run-progress.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, Field


class RunProgress(BaseModel):
    """
    One progress line a pipeline prints on stdout (sdk.progress). Other stdout lines are logs and are ignored.
    """

    progress: Annotated[float, Field(ge=0.0, le=100.0)]
    step: Annotated[str | None, Field(max_length=200)] = None
