# Generated from schemas/node-type.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from typing import Annotated, Any
from pydantic import BaseModel, ConfigDict, Field
from enum import StrEnum
from typing_extensions import TypeAliasType
from . import pipeline_manifest


class WeightLicence(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    weights: Annotated[
        str, Field(description="The weights' name in the manifest.", max_length=120)
    ]
    licence: Annotated[str, Field(max_length=120)]


class AvailabilityProblem(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    message: Annotated[str, Field(min_length=1)]
    fix: Annotated[
        str,
        Field(
            description="The command that fixes it, e.g. studio models pull stable-diffusion-v1-5."
        ),
    ]


class PipelineAvailability(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    ready: Annotated[
        bool,
        Field(
            description="Nothing is missing for a run: its weights are present and, where pipelines run in Docker, its image is built."
        ),
    ]
    image_built: Annotated[
        bool | None,
        Field(
            description="The Docker image is built on the studio's engine; null where no engine answers (pipelines run as processes)."
        ),
    ] = None
    weights_present: Annotated[
        bool,
        Field(
            description="Every model the manifest requires is in the model store, in its format, with the declared hashes."
        ),
    ]
    problems: list[AvailabilityProblem]


class NodeCategory(StrEnum):
    """
    Palette section.
    """

    Structure = "Structure"
    Source = "Source"
    Generate = "Generate"
    Animate = "Animate"
    Audio = "Audio"
    Identity = "Identity"
    Edit = "Edit"
    Post_Production = "Post-Production"
    Control = "Control"
    Training = "Training"
    Assembly = "Assembly"


class NodeOrigin(StrEnum):
    """
    builtin: a data file shipped with the server; pipeline: derived from a pipeline manifest; template: derived from a pipeline template, run on a ComfyUI server.
    """

    builtin = "builtin"
    pipeline = "pipeline"
    template = "template"


ValuesAdditionalProperty = TypeAliasType(
    "ValuesAdditionalProperty", Annotated[list[str], Field(max_length=32)]
)


class RevealInputs(BaseModel):
    """
    Hidden input sockets drawn while one of the node's values asks for them: a Shot whose task type edits an image shows its start image socket.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    param: Annotated[
        str, Field(description="The param whose value decides.", min_length=1)
    ]
    values: Annotated[
        dict[str, ValuesAdditionalProperty],
        Field(
            description="For each value of the param, the hidden inputs drawn while it has that value.",
            max_length=64,
        ),
    ]


class ValueFormat(StrEnum):
    """
    How a slider shows its number: factor 2 as 2×, percent 0.5 as 50 %.
    """

    factor = "factor"
    percent = "percent"


class Executor(StrEnum):
    """
    What compiling the node produces: none (a data source or container), pipeline (a Function Runner job: a pipeline image, or a template on ComfyUI), edl (the Sequence's edit decision list), render (the final video).
    """

    none = "none"
    pipeline = "pipeline"
    edl = "edl"
    render = "render"


class FeaturedValue(BaseModel):
    """
    A value a node draws first, with how to present it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[str, Field(min_length=1)]
    label: Annotated[
        str | None,
        Field(
            description="Instead of the value's own label.", max_length=80, min_length=1
        ),
    ] = None
    placeholder: Annotated[str | None, Field(max_length=200)] = None
    rows: Annotated[
        int | None, Field(description="Lines of a text area.", ge=1, le=20)
    ] = None
    format: ValueFormat | None = None


class NodeUi(BaseModel):
    """
    How the canvas draws a node of this type; running it is not affected. Each name is one of the type's inputs or params.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    featured: Annotated[
        list[FeaturedValue] | None,
        Field(
            description="The values drawn first, in this order; the others are folded under More settings.",
            max_length=8,
        ),
    ] = None
    omit: Annotated[
        list[str] | None,
        Field(
            description="Values not drawn at all (set elsewhere, such as an auto-numbered shot id).",
            max_length=32,
        ),
    ] = None
    hide_inputs: Annotated[
        list[str] | None,
        Field(
            description="Input sockets drawn only while connected (or revealed): references most nodes of the type leave empty.",
            max_length=32,
        ),
    ] = None
    reveal_inputs: RevealInputs | None = None
    subtitle: Annotated[
        str | None,
        Field(
            description="The data value shown beside the title (a shot's shot_id).",
            min_length=1,
        ),
    ] = None


class NodeType(BaseModel):
    """
    One entry of the node palette (GET /api/v1/node-types, the ComfyUI object_info analogue): the sockets and parameters of a canvas node type. Built-ins are data files; one is derived from each pipeline manifest.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: Annotated[
        str,
        Field(
            description="The canvas node's `type`: a built-in such as ShotNode, pipeline:<pipeline id> or template:<template id>.",
            pattern="^[A-Za-z][A-Za-z0-9]*Node$|^(pipeline|template):[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$",
        ),
    ]
    version: Annotated[
        str,
        Field(
            description="Semver of the type; a saved node whose data.type_version has the same major version is upgraded in place.",
            pattern="^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$",
        ),
    ]
    title: Annotated[str, Field(max_length=80, min_length=1)]
    description: Annotated[str | None, Field(max_length=2000)] = None
    category: NodeCategory
    origin: NodeOrigin
    executor: Executor
    task_type: Annotated[
        pipeline_manifest.TaskType | None,
        Field(
            description="For executor `pipeline` without a connected or fixed pipeline: the task type whose pipeline the project quality selects (library/quality_map.json)."
        ),
    ] = None
    pipeline_id: Annotated[
        str | None,
        Field(
            description="For a node type derived from a pipeline manifest: the pipeline it runs.",
            pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$",
        ),
    ] = None
    template_id: Annotated[
        str | None,
        Field(
            description="For a node type derived from a pipeline template (a ComfyUI workflow): the template it runs.",
            pattern="^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$",
        ),
    ] = None
    cpu_only: Annotated[
        bool | None,
        Field(description="Runs without a GPU (labelled as such in the palette)."),
    ] = False
    container: Annotated[
        bool | None,
        Field(
            description="Groups other nodes (parentId must name a node of such a type)."
        ),
    ] = False
    licences: Annotated[
        list[WeightLicence] | None,
        Field(
            description="For a node type derived from a pipeline: the licence of each model its weights come from, as the manifest names them (shown in the palette and on the node).",
            max_length=16,
        ),
    ] = None
    availability: Annotated[
        PipelineAvailability | None,
        Field(
            description="For a node type derived from a pipeline: whether this studio can run it now (image built, weights present)."
        ),
    ] = None
    inputs: Annotated[list[pipeline_manifest.Port], Field(max_length=32)]
    outputs: Annotated[list[pipeline_manifest.Port], Field(max_length=16)]
    params: Annotated[
        dict[str, Any],
        Field(
            description='JSON Schema (draft 2020-12) of the node\'s data besides its input widget values and the reserved keys (type_version, active_take). A property with "x-affects-output": false (names, labels, numbering) is left out of cache keys.'
        ),
    ]
    ui: NodeUi | None = None
