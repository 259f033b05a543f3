# Generated from schemas/socket-type.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum


class SocketType(StrEnum):
    """
    The data type of a node socket (PRD §4.3). Which type may feed which is declared in socket-compatibility.json (schema socket-compatibility.schema.json).
    """

    String = "String"
    Integer = "Integer"
    Float = "Float"
    Boolean = "Boolean"
    Image = "Image"
    Video = "Video"
    Audio = "Audio"
    AssetReference = "AssetReference"
    ControlMap = "ControlMap"
    Mask = "Mask"
    PipelineReference = "PipelineReference"
    EDL = "EDL"
