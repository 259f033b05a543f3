# Generated from schemas/media-types.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum
from typing import Annotated, Literal
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from . import socket_type


class MediaKind(StrEnum):
    image = "image"
    video = "video"
    audio = "audio"


class MediaType(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    kind: MediaKind
    mime: Annotated[str, Field(pattern="^(image|video|audio)/[a-z0-9.+-]+$")]
    demuxer: Annotated[
        str,
        Field(
            description="The ffmpeg demuxer forced when the studio decodes such a file: ffmpeg never guesses a format from the content, so a file that is really a playlist or another container cannot make it read other files or URLs.",
            pattern="^[a-z0-9_]+$",
        ),
    ]


class KindSockets(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    socket_types: Annotated[list[socket_type.SocketType], Field(min_length=1)]


class Kinds(BaseModel):
    """
    Each kind of media and the socket types a file of that kind feeds; the first is the socket type of an uploaded file.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    image: KindSockets
    video: KindSockets
    audio: KindSockets


class MediaTypes(BaseModel):
    """
    The media files the studio handles, by extension (schemas/media-types.json): what uploads accept, what a take or a pipeline's file input and output may be, how thumbnails and the browser show them. Every one of them is stored in Git LFS (the scaffold's .gitattributes routes each). Server, Function Runner and browser all read media-types.json.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    kinds: Annotated[
        Kinds,
        Field(
            description="Each kind of media and the socket types a file of that kind feeds; the first is the socket type of an uploaded file."
        ),
    ]
    extensions: Annotated[
        dict[Annotated[str, StringConstraints(pattern=r"^[a-z0-9]{1,8}$")], MediaType],
        Field(
            description="Lower-case extension (without the dot) -> what a file with it is.",
            min_length=1,
        ),
    ]
