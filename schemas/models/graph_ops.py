# Generated from schemas/graph-ops.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any, Literal
from pydantic import BaseModel, ConfigDict, Field, RootModel
from . import canvas_graph


class NodeMove(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    position: canvas_graph.Position
    parentId: Annotated[
        canvas_graph.ElementId | None,
        Field(
            description="The group (a SceneGroup node) that contains the node from now on; null takes it out of its group; absent leaves it where it is. `position` is relative to this parent, as in Svelte Flow."
        ),
    ] = None
    width: Annotated[
        float | None,
        Field(
            description="The node's new width (a resized group); absent leaves it as it is.",
            ge=0.0,
            le=1000000.0,
        ),
    ] = None
    height: Annotated[
        float | None,
        Field(
            description="The node's new height (a resized group); absent leaves it as it is.",
            ge=0.0,
            le=1000000.0,
        ),
    ] = None


class NodeDataPatch(RootModel[dict[str, Any]]):
    """
    Shallow merge into the node's data; a key set to null is removed.
    """

    root: Annotated[dict[str, Any], Field(max_length=256)]


class AddNodeOp(BaseModel):
    """
    Adds a node with a fresh id (its group, if any, must exist).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    op: Literal["add_node"]
    node: canvas_graph.CanvasNode


class RemoveNodesOp(BaseModel):
    """
    Removes nodes, every node they contain, and every edge of those nodes.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    op: Literal["remove_nodes"]
    node_ids: Annotated[
        list[canvas_graph.ElementId], Field(max_length=5000, min_length=1)
    ]


class UpdateNodeDataOp(BaseModel):
    """
    Merges `data` into the node's data (a key set to null is removed).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    op: Literal["update_node_data"]
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    data: NodeDataPatch


class MoveNodesOp(BaseModel):
    """
    Moves nodes, in order; a move may also put a node into a group, take it out, or resize it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    op: Literal["move_nodes"]
    moves: list[NodeMove]


class AddEdgeOp(BaseModel):
    """
    Adds an edge with a fresh id between two nodes of the graph.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    op: Literal["add_edge"]
    edge: canvas_graph.CanvasEdge


class RemoveEdgesOp(BaseModel):
    """
    Removes edges by id.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    op: Literal["remove_edges"]
    edge_ids: Annotated[
        list[canvas_graph.ElementId], Field(max_length=5000, min_length=1)
    ]


GraphOp = Annotated[AddNodeOp | RemoveNodesOp | UpdateNodeDataOp | MoveNodesOp | AddEdgeOp | RemoveEdgesOp, Field(discriminator="op")]
