# Generated from schemas/model-record.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing import Annotated, Literal


class Source(BaseModel):
    """
    Where the files came from: a Hugging Face repository and revision, or the folder they were added from.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    repo: str | None = None
    revision: str | None = None
    commit: str | None = None
    added_from: str | None = None


class RecordedFile(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=0)]
    mtime_ns: Annotated[
        int,
        Field(
            description="When it was hashed: a file whose size or mtime changed since is hashed again."
        ),
    ]


class ModelRecord(BaseModel):
    """
    <model store>/<name>/.studio-model.json: what `studio models add|pull|verify` found in a model folder. The runner checks a manifest's expected hashes against it without re-reading gigabytes, and pipelines report its fingerprint as the weights hash of every take.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    name: Annotated[str, Field(max_length=200, min_length=1)]
    source: Annotated[
        Source | None,
        Field(
            description="Where the files came from: a Hugging Face repository and revision, or the folder they were added from."
        ),
    ] = None
    files: Annotated[
        dict[str, RecordedFile],
        Field(description="Every file of the model, by path relative to its folder."),
    ]
    fingerprint: Annotated[
        str,
        Field(
            description="sha256 over the sorted 'path sha256' lines of every file: the weights hash a take records.",
            pattern="^[0-9a-f]{64}$",
        ),
    ]
    recorded_at: AwareDatetime
