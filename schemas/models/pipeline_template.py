# Generated from schemas/pipeline-template.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any, Literal
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import TypeAliasType
from . import node_type, pipeline_manifest


OutputNodesAdditionalProperty = TypeAliasType(
    "OutputNodesAdditionalProperty",
    Annotated[str, Field(pattern="^[A-Za-z0-9_.:-]{1,64}$")],
)


class NodeInput(BaseModel):
    """
    One input of one workflow node.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    node: Annotated[
        str,
        Field(
            description='A node id of the workflow (a key of ComfyUI\'s API format: "3", or "12:4" inside a group).',
            pattern="^[A-Za-z0-9_.:-]{1,64}$",
        ),
    ]
    input: Annotated[str, Field(pattern="^[A-Za-z0-9_. -]{1,128}$")]


BindingsAdditionalProperty = TypeAliasType(
    "BindingsAdditionalProperty",
    Annotated[list[NodeInput], Field(max_length=16, min_length=1)],
)


class PipelineTemplate(BaseModel):
    """
    template.json of a pipeline template (ARCHITECTURE §15): a ComfyUI workflow in its API format (workflow.json beside it) made into a canvas node. It says which workflow node inputs the node's sockets and params set, which output nodes give its outputs and which inputs take the node's seed. The node classes it needs are the workflow's own class_type values. Lives in <workspace>/Library/Pipeline_Templates/<id>/ or a project's 02_Source_Creative/Pipeline_Templates/<id>/.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    id: Annotated[
        str,
        Field(
            description="Template id, also its folder name, e.g. sd15-txt2img; the node type is template:<id>.",
            pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$",
        ),
    ]
    version: Annotated[
        str,
        Field(
            pattern="^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$"
        ),
    ]
    title: Annotated[str, Field(max_length=80, min_length=1)]
    description: Annotated[str | None, Field(max_length=2000)] = None
    category: node_type.NodeCategory
    task_type: pipeline_manifest.TaskType | None = None
    inputs: Annotated[
        list[pipeline_manifest.Port],
        Field(
            description="The node's input sockets. A media input (Image, Mask, ControlMap, Video, Audio) is uploaded to ComfyUI and its file name set on the bound node inputs.",
            max_length=32,
        ),
    ]
    outputs: Annotated[
        list[pipeline_manifest.Port],
        Field(
            description="The node's outputs; output_nodes says which workflow node saves each.",
            max_length=16,
            min_length=1,
        ),
    ]
    params: Annotated[
        dict[str, Any] | None,
        Field(
            description="JSON Schema (draft 2020-12) of the node's settings; each property is bound like an input. A value left unset keeps the workflow's own."
        ),
    ] = None
    bindings: Annotated[
        dict[
            Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")],
            BindingsAdditionalProperty,
        ],
        Field(
            description="Input or param name -> the workflow node inputs its value is written to."
        ),
    ]
    output_nodes: Annotated[
        dict[
            Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,47}$")],
            OutputNodesAdditionalProperty,
        ],
        Field(
            description="Output name -> the id of the workflow node that saves it (SaveImage, SaveVideo, SaveAudio, …)."
        ),
    ]
    seed_inputs: Annotated[
        list[NodeInput] | None,
        Field(
            description="Workflow node inputs that take the canvas node's seed, so a take can be made again.",
            max_length=16,
        ),
    ] = None
    deterministic: Annotated[
        bool | None,
        Field(
            description="Same inputs, settings and seed give the same output on the same ComfyUI: results may be cached."
        ),
    ] = False
    timeout_s: Annotated[int | None, Field(ge=1, le=86400)] = 1800
