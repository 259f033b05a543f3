# Generated from schemas/canvas-graph.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any, Literal
from pydantic import BaseModel, ConfigDict, Field, RootModel


class ElementId(RootModel[str]):
    root: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]


class Position(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    x: float
    y: float


class Dimensions(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    width: Annotated[float, Field(ge=0.0)]
    height: Annotated[float, Field(ge=0.0)]


class CanvasNode(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    type: Annotated[
        str,
        Field(
            description="Node type id (a built-in such as ShotNode, or a pipeline node type).",
            max_length=128,
            min_length=1,
            pattern="^[A-Za-z0-9_.:-]+$",
        ),
    ]
    position: Position
    parentId: Annotated[
        str | None, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ] = None
    width: Annotated[float | None, Field(ge=0.0)] = None
    height: Annotated[float | None, Field(ge=0.0)] = None
    measured: Dimensions | None = None
    hidden: bool | None = None
    data: Annotated[
        dict[str, Any],
        Field(
            description="Node-type-specific properties; validated against the node type by the graph compiler."
        ),
    ]


class CanvasEdge(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    source: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    sourceHandle: Annotated[str | None, Field(max_length=128)] = None
    target: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    targetHandle: Annotated[str | None, Field(max_length=128)] = None
    type: Annotated[str | None, Field(max_length=64)] = None
    data: dict[str, Any] | None = None


class Viewport(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    x: float
    y: float
    zoom: Annotated[float, Field(gt=0.0)]


class CanvasGraph(BaseModel):
    """
    The Production Canvas graph in Svelte Flow's own shape (ARCHITECTURE §5): the canvas file and the live graph.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    nodes: Annotated[list[CanvasNode], Field(max_length=20000)]
    edges: Annotated[list[CanvasEdge], Field(max_length=50000)]
    viewport: Viewport | None = None
