# Generated from schemas/run-result.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import TypeAliasType


OutputsAdditionalProperty = TypeAliasType(
    "OutputsAdditionalProperty", Annotated[str, Field(max_length=255, min_length=1)]
)


class RunResult(BaseModel):
    """
    <job>/out/result.json, written by the pipeline (sdk.write_outputs) when it succeeds (ARCHITECTURE §6).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    outputs: Annotated[
        dict[
            Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")],
            OutputsAdditionalProperty,
        ],
        Field(
            description="Output port name -> file name inside out/. Every output the manifest declares must be present."
        ),
    ]
    metadata: Annotated[
        dict[str, Any] | None,
        Field(
            description="Free-form facts about the result (sizes, durations, seeds used)."
        ),
    ] = None
