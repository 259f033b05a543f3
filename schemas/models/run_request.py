# Generated from schemas/run-request.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any
from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class RunRequest(BaseModel):
    """
    <job>/in/request.json, written by the Function Runner for one pipeline invocation (ARCHITECTURE §6). File inputs are names of files in in/.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    inputs: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")], Any],
        Field(
            description="Input port name -> value; for file sockets a file name in in/ (a list of them for `multiple` ports)."
        ),
    ]
    params: Annotated[
        dict[str, Any],
        Field(
            description="Values checked against the manifest's params schema, defaults filled in."
        ),
    ]
    seed: Annotated[int, Field(ge=0, le=4294967295)]
