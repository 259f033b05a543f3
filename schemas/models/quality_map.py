# Generated from schemas/quality-map.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field
from . import pipeline_manifest


class QualityTiers(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    low: Annotated[str | None, Field(pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$")] = (
        None
    )
    standard: Annotated[
        str | None, Field(pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$")
    ] = None
    high: Annotated[str | None, Field(pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$")] = (
        None
    )
    cpu: Annotated[
        str | None,
        Field(
            description="Runs without a GPU; chosen when the tier's pipeline is not installed.",
            pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$",
        ),
    ] = None


class QualityMap(BaseModel):
    """
    Library/quality_map.json (PRD Table 4): which pipeline each quality tier selects per task type, with the CPU pipeline as the last fallback.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    task_types: dict[pipeline_manifest.TaskType, QualityTiers]
