# Generated from schemas/ws-events.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from . import (
    canvas_graph,
    graph_ops,
    run_progress,
    sequence,
)
from enum import StrEnum


class ClientUpdateNodeData(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    data: graph_ops.NodeDataPatch


class ClientUpdateNodePosition1(BaseModel):
    """
    One move, or a batch of moves sent together (dragging a selection).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    position: canvas_graph.Position
    moves: Annotated[
        list[graph_ops.NodeMove] | None, Field(max_length=5000, min_length=1)
    ] = None


class ClientUpdateNodePosition2(BaseModel):
    """
    One move, or a batch of moves sent together (dragging a selection).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    node_id: Annotated[
        str | None, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ] = None
    position: canvas_graph.Position | None = None
    moves: Annotated[
        list[graph_ops.NodeMove], Field(max_length=5000, min_length=1)
    ]


class ClientAddNode(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    node: canvas_graph.CanvasNode


class ClientRemoveNodes(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    node_ids: Annotated[
        list[canvas_graph.ElementId], Field(max_length=5000, min_length=1)
    ]


class ClientAddEdge(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    edge: canvas_graph.CanvasEdge


class ClientRemoveEdges(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    edge_ids: Annotated[
        list[canvas_graph.ElementId], Field(max_length=5000, min_length=1)
    ]


class ClientSyncRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )


class ClientSave(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )


class ClientStartGeneration(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]


class ClientSelectTake(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    take: Annotated[
        str,
        Field(
            description="Repository-relative path of the take file.",
            max_length=512,
            min_length=1,
        ),
    ]


class ClientRenderFinalSequence(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]


class ServerConflict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    message: str | None = None


class ServerError(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    code: str
    message: str
    event: str | None = None


class NodeState(StrEnum):
    idle = "idle"
    queued = "queued"
    generating = "generating"
    done = "done"
    failed = "failed"


class ServerNodeStateUpdated(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    state: NodeState
    task_id: str | None = None


class ServerTaskProgress(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    task_id: str
    node_id: Annotated[
        str | None,
        Field(
            description="The node the task runs for; absent for a studio task (a model pull), which goes to administrators only.",
            max_length=128,
            min_length=1,
            pattern="^[A-Za-z0-9_.:-]+$",
        ),
    ] = None
    progress: Annotated[float, Field(ge=0.0, le=100.0)]
    step: str | None = None
    metrics: run_progress.ProgressMetrics | None = None


class ServerTaskFailed(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    task_id: str
    node_id: Annotated[
        str | None,
        Field(
            description="The node the task runs for; absent for a studio task (a model pull), which goes to administrators only.",
            max_length=128,
            min_length=1,
            pattern="^[A-Za-z0-9_.:-]+$",
        ),
    ] = None
    error: str


class TakeSummary(BaseModel):
    """
    One take of a node as every list shows it: GET .../takes, server:takes_updated, server:task_success.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    path: Annotated[
        str, Field(description="Repository-relative path of the take file.")
    ]
    take: Annotated[int, Field(description="The take number.", ge=1)]
    url: Annotated[str, Field(description="Where the files route serves it.")]
    thumbnail_url: Annotated[
        str | None,
        Field(description="Its thumbnail or poster; null when none could be made."),
    ]
    pipeline: Annotated[str, Field(description="The pipeline that made it.")]
    created_at: AwareDatetime


class ServerTakesUpdated(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    takes: list[TakeSummary]


class RenderSettings(BaseModel):
    """
    What a final render was made from and to: the sequence as it was when the render was asked for, and the picture it gave.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    sequence_node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    clips: Annotated[int, Field(ge=0)]
    transitions: Annotated[int, Field(ge=0)]
    titles: Annotated[int, Field(ge=0)]
    conform: sequence.ConformMode
    width: Annotated[int, Field(ge=1)]
    height: Annotated[int, Field(ge=1)]


class Level(StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


class ServerNotification(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    level: Level
    code: str
    message: str
    node_id: Annotated[
        str | None, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ] = None
    task_id: str | None = None


class ClientApplyOps(BaseModel):
    """
    Several graph operations applied as one edit (paste, undo/redo, grouping): all or none, one version increment, one graph_patch.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    ops: Annotated[
        list[
            Annotated[
                graph_ops.AddNodeOp
                | graph_ops.RemoveNodesOp
                | graph_ops.UpdateNodeDataOp
                | graph_ops.MoveNodesOp
                | graph_ops.AddEdgeOp
                | graph_ops.RemoveEdgesOp,
                Field(discriminator="op"),
            ]
        ],
        Field(max_length=1000, min_length=1),
    ]


class ServerGraphPatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    ops: list[
        Annotated[
            graph_ops.AddNodeOp
            | graph_ops.RemoveNodesOp
            | graph_ops.UpdateNodeDataOp
            | graph_ops.MoveNodesOp
            | graph_ops.AddEdgeOp
            | graph_ops.RemoveEdgesOp,
            Field(discriminator="op"),
        ]
    ]
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]
    origin: Annotated[
        str | None, Field(description="Socket id of the client whose edit this is.")
    ]


class ServerGraphPatches(BaseModel):
    """
    Consecutive edits of one client, sent as one message when they were applied together (edits that arrive while others are applied are applied as a batch): the same patches server:graph_patch carries one at a time, in version order. A client applies each in turn as it would a server:graph_patch.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    patches: Annotated[list[ServerGraphPatch], Field(min_length=2)]


class ServerFullSync(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    graph: canvas_graph.CanvasGraph
    version: Annotated[
        int,
        Field(
            description="The graph version the client's change was made against.", ge=1
        ),
    ]


class Result(BaseModel):
    output_url: Annotated[
        str | None,
        Field(
            description="The output file in the project; absent when the output is no project file (a pulled model)."
        ),
    ] = None
    take: TakeSummary | None = None


class ServerTaskSuccess(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    task_id: str
    node_id: Annotated[
        str | None,
        Field(
            description="The node the task runs for; absent for a studio task (a model pull), which goes to administrators only.",
            max_length=128,
            min_length=1,
            pattern="^[A-Za-z0-9_.:-]+$",
        ),
    ] = None
    result: Result


class RenderSummary(BaseModel):
    """
    One final render of a VSE Assembler (or Sequence) node as every list shows it: GET .../nodes/{node_id}/renders, server:renders_updated. Each render is its own file (06_Exports/<name>_v003.mp4), never overwritten by the next.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    path: Annotated[
        str,
        Field(description="Repository-relative path of the export (06_Exports/...)."),
    ]
    url: Annotated[str, Field(description="Where the files route serves it.")]
    created_at: AwareDatetime
    duration_s: Annotated[float, Field(ge=0.0)]
    frames: Annotated[int, Field(ge=0)]
    fps: Annotated[int, Field(ge=1)]
    task_id: Annotated[
        str,
        Field(description="The render task that wrote it (GET /api/v1/tasks/{id})."),
    ]
    settings: RenderSettings


class ServerRendersUpdated(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[
        str, Field(max_length=128, min_length=1, pattern="^[A-Za-z0-9_.:-]+$")
    ]
    renders: Annotated[
        list[RenderSummary],
        Field(description="Newest first: the first one is the last render."),
    ]


class WsEvents(BaseModel):
    """
    Socket.IO events of one project's channel (PRD Table 6, ARCHITECTURE §9): each property is an event name (client:* sent by browsers, server:* by the server) and its payload.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    client_update_node_data: Annotated[
        ClientUpdateNodeData | None, Field(alias="client:update_node_data")
    ] = None
    client_update_node_position: Annotated[
        ClientUpdateNodePosition1 | ClientUpdateNodePosition2 | None,
        Field(
            alias="client:update_node_position",
            description="One move, or a batch of moves sent together (dragging a selection).",
        ),
    ] = None
    client_add_node: Annotated[ClientAddNode | None, Field(alias="client:add_node")] = (
        None
    )
    client_remove_nodes: Annotated[
        ClientRemoveNodes | None, Field(alias="client:remove_nodes")
    ] = None
    client_add_edge: Annotated[ClientAddEdge | None, Field(alias="client:add_edge")] = (
        None
    )
    client_remove_edges: Annotated[
        ClientRemoveEdges | None, Field(alias="client:remove_edges")
    ] = None
    client_apply_ops: Annotated[
        ClientApplyOps | None, Field(alias="client:apply_ops")
    ] = None
    client_sync_request: Annotated[
        ClientSyncRequest | None, Field(alias="client:sync_request")
    ] = None
    client_save: Annotated[ClientSave | None, Field(alias="client:save")] = None
    client_start_generation: Annotated[
        ClientStartGeneration | None, Field(alias="client:start_generation")
    ] = None
    client_select_take: Annotated[
        ClientSelectTake | None, Field(alias="client:select_take")
    ] = None
    client_render_final_sequence: Annotated[
        ClientRenderFinalSequence | None, Field(alias="client:render_final_sequence")
    ] = None
    server_graph_patch: Annotated[
        ServerGraphPatch | None, Field(alias="server:graph_patch")
    ] = None
    server_graph_patches: Annotated[
        ServerGraphPatches | None, Field(alias="server:graph_patches")
    ] = None
    server_full_sync: Annotated[
        ServerFullSync | None, Field(alias="server:full_sync")
    ] = None
    server_conflict: Annotated[
        ServerConflict | None, Field(alias="server:conflict")
    ] = None
    server_error: Annotated[ServerError | None, Field(alias="server:error")] = None
    server_node_state_updated: Annotated[
        ServerNodeStateUpdated | None, Field(alias="server:node_state_updated")
    ] = None
    server_task_progress: Annotated[
        ServerTaskProgress | None, Field(alias="server:task_progress")
    ] = None
    server_task_success: Annotated[
        ServerTaskSuccess | None, Field(alias="server:task_success")
    ] = None
    server_task_failed: Annotated[
        ServerTaskFailed | None, Field(alias="server:task_failed")
    ] = None
    server_takes_updated: Annotated[
        ServerTakesUpdated | None, Field(alias="server:takes_updated")
    ] = None
    server_notification: Annotated[
        ServerNotification | None, Field(alias="server:notification")
    ] = None
    server_renders_updated: Annotated[
        ServerRendersUpdated | None, Field(alias="server:renders_updated")
    ] = None
