# Generated from schemas/socket-compatibility.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field
from . import socket_type


class SocketConversion(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    source: socket_type.SocketType
    target: socket_type.SocketType
    reason: Annotated[str, Field(max_length=200)]


class SocketCompatibility(BaseModel):
    """
    Which socket type may feed which (ARCHITECTURE §5). A type always feeds itself; any other pair is refused unless listed here. Browser and server both read socket-compatibility.json.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    implicit: Annotated[
        list[SocketConversion],
        Field(
            description="Extra pairs allowed besides identity: an output of type `source` may feed an input of type `target`."
        ),
    ]
