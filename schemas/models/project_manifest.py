# Generated from schemas/project-manifest.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field
from enum import StrEnum


class Quality(StrEnum):
    """
    Project-wide quality tier; selects the pipeline per task type (PRD Table 4).
    """

    low = "low"
    standard = "standard"
    high = "high"


class HardwarePolicy(StrEnum):
    """
    When no live worker can hold the selected pipeline: wait for one (queue) or use the best tier that fits (fallback). Default fallback.
    """

    queue = "queue"
    fallback = "fallback"


class ProjectSettings(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    aspect_ratio: Annotated[
        str,
        Field(
            description="Default aspect ratio of renders, width:height (e.g. 16:9, 2.39:1).",
            pattern="^[1-9][0-9]{0,2}(\\.[0-9]{1,3})?:[1-9][0-9]{0,2}$",
        ),
    ]
    quality: Quality
    hardware_policy: HardwarePolicy | None = None


class ProjectManifest(BaseModel):
    """
    project.json at the root of every project repository (PRD §2.3): the project's identity card.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Annotated[
        Literal[1],
        Field(
            description="Format version of this document; upgrade functions migrate older ones."
        ),
    ]
    uuid: Annotated[
        str,
        Field(
            description="Immutable primary key of the project, generated at creation.",
            pattern="^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        ),
    ]
    title: Annotated[
        str,
        Field(
            description="Human-readable title: 1-100 characters, no path separators or control characters.",
            max_length=100,
            min_length=1,
            pattern='^[^/\\\\:*?"<>|\\u0000-\\u001f\\u007f]+$',
        ),
    ]
    description: Annotated[str, Field(max_length=5000)]
    canvas_path: Annotated[
        str,
        Field(
            description="Repository-relative path of the main Production Canvas file.",
            pattern="^02_Source_Creative/Canvases/[A-Za-z0-9_][A-Za-z0-9_.-]*\\.json$",
        ),
    ]
    project_settings: ProjectSettings
    version: Annotated[
        int,
        Field(
            description="Revision of the project, incremented on every accepted change (optimistic locking).",
            ge=1,
        ),
    ]
