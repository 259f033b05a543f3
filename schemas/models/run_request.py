# Generated from schemas/run-request.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any
from pydantic import BaseModel, ConfigDict, Field, StringConstraints


class SfwGate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    threshold: Annotated[
        float,
        Field(
            description="Refuse an input or output the classifier rates more likely than this to be not safe for work.",
            gt=0.0,
            le=1.0,
        ),
    ]


class Gates(BaseModel):
    """
    The content gates the studio's configuration applies to this run (for a manifest with `gated`); written by the runner after the node's params, so no node can change or drop them. A gate that is absent is switched off by the studio.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    sfw: Annotated[SfwGate | None, Field(title="SfwGate")] = None


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
    gates: Annotated[
        Gates | None,
        Field(
            description="The content gates the studio's configuration applies to this run (for a manifest with `gated`); written by the runner after the node's params, so no node can change or drop them. A gate that is absent is switched off by the studio."
        ),
    ] = None
