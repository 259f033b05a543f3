# Generated from schemas/pipeline-manifest.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum
from typing import Annotated, Any, Literal
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from typing_extensions import TypeAliasType
from . import socket_type


class Category(StrEnum):
    """
    Palette category.
    """

    Generate = "Generate"
    Animate = "Animate"
    Audio = "Audio"
    Identity = "Identity"
    Edit = "Edit"
    Post_Production = "Post-Production"
    Control = "Control"
    Training = "Training"


class GatedEnum(StrEnum):
    sfw = "sfw"


class TaskType(StrEnum):
    generate_image = "generate-image"
    generate_video = "generate-video"
    image_to_video = "image-to-video"
    talking_head = "talking-head"
    motion_transfer = "motion-transfer"
    identity_image = "identity-image"
    face_swap = "face-swap"
    tts = "tts"
    image_edit = "image-edit"
    super_resolution = "super-resolution"
    video_restoration = "video-restoration"
    control_extract = "control-extract"
    train_lora = "train-lora"


class Widget(StrEnum):
    text = "text"
    textarea = "textarea"
    number = "number"
    slider = "slider"
    checkbox = "checkbox"
    select = "select"
    file = "file"


class MinVramGb(BaseModel):
    """
    Minimum VRAM per quality tier the pipeline serves.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    low: Annotated[float | None, Field(ge=0.0)] = None
    standard: Annotated[float | None, Field(ge=0.0)] = None
    high: Annotated[float | None, Field(ge=0.0)] = None


class VramBasis(StrEnum):
    """
    Where min_vram_gb comes from: 'prd-table-4' (the PRD's tiers, not yet measured for this pipeline) or 'measured' (a run of benchmarks/gpu_pipelines.py at the tier's sizes).
    """

    prd_table_4 = "prd-table-4"
    measured = "measured"


class MemorySaver(StrEnum):
    """
    diffusers' memory savers: whole models moved to the GPU only while they run (model_cpu_offload), layer by layer (sequential_cpu_offload), the VAE decoding one image or tile at a time, attention in slices; for training (train-lora), activations recomputed in the backward pass instead of kept (gradient_checkpointing) and the optimiser's state and step kept in CPU memory (optimizer_cpu_offload).
    """

    model_cpu_offload = "model_cpu_offload"
    sequential_cpu_offload = "sequential_cpu_offload"
    vae_slicing = "vae_slicing"
    vae_tiling = "vae_tiling"
    attention_slicing = "attention_slicing"
    gradient_checkpointing = "gradient_checkpointing"
    optimizer_cpu_offload = "optimizer_cpu_offload"


class Format(StrEnum):
    """
    diffusers (when absent): a folder in from_pretrained layout (model_index.json naming its component folders); file: one file, checked against sha256; folder: a folder of files the pipeline opens itself (ONNX graphs, a transformers model, any network spandrel loads picked by a param), checked against `files` where given.
    """

    diffusers = "diffusers"
    file = "file"
    folder = "folder"


FilesAdditionalProperty = TypeAliasType(
    "FilesAdditionalProperty", Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
)


class Weight(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[str, Field(max_length=120)]
    path: Annotated[
        str,
        Field(
            description="The model's folder (or file) relative to the model store, mounted read-only at /models/<path>; `studio models` calls it the model's name.",
            pattern="^[A-Za-z0-9_][A-Za-z0-9_./-]*$",
        ),
    ]
    format: Annotated[
        Format | None,
        Field(
            description="diffusers (when absent): a folder in from_pretrained layout (model_index.json naming its component folders); file: one file, checked against sha256; folder: a folder of files the pipeline opens itself (ONNX graphs, a transformers model, any network spandrel loads picked by a param), checked against `files` where given."
        ),
    ] = None
    repo: Annotated[
        str | None,
        Field(
            description="The Hugging Face repository `studio models pull <path>` fetches by default.",
            pattern="^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$",
        ),
    ] = None
    revision: Annotated[
        str | None,
        Field(
            description="The repository revision (branch, tag or commit) to pull.",
            max_length=100,
        ),
    ] = None
    optional: Annotated[
        bool | None,
        Field(
            description="The pipeline runs without it (e.g. a latent upsampler) and uses it when present."
        ),
    ] = False
    licence: Annotated[
        str | None,
        Field(
            description="The weights' licence, as its model card names it.",
            max_length=120,
        ),
    ] = None
    sha256: Annotated[
        str | None,
        Field(
            description="For format file: the file's sha256.", pattern="^[0-9a-f]{64}$"
        ),
    ] = None
    files: Annotated[
        dict[
            Annotated[
                str, StringConstraints(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")
            ],
            FilesAdditionalProperty,
        ]
        | None,
        Field(
            description="Expected sha256 of files inside the folder, by path relative to it: a copy whose files differ is refused with the fix.",
            max_length=64,
        ),
    ] = None
    description: Annotated[str | None, Field(max_length=500)] = None


class Port(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[str, Field(pattern="^[a-z][a-z0-9_]{0,47}$")]
    type: socket_type.SocketType
    label: Annotated[str | None, Field(max_length=80)] = None
    description: Annotated[str | None, Field(max_length=500)] = None
    required: bool | None = False
    multiple: bool | None = False
    optional: Annotated[
        bool | None,
        Field(
            description="For an output: the pipeline may leave it out of a run's result (e.g. an image or a video, whichever its input was); every other declared output must be there."
        ),
    ] = False
    default: Any | None = None
    widget: Widget | None = None
    constraints: Annotated[
        dict[str, Any] | None,
        Field(
            description="JSON Schema keywords for a primitive value (minimum, maximum, enum, maxLength, ...)."
        ),
    ] = None


class MemorySaverRule(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    max_vram_gb: Annotated[float, Field(gt=0.0)]
    savers: list[MemorySaver]


class Resources(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    gpu: bool
    min_vram_gb: Annotated[
        MinVramGb | None,
        Field(description="Minimum VRAM per quality tier the pipeline serves."),
    ] = None
    vram_basis: Annotated[
        VramBasis | None,
        Field(
            description="Where min_vram_gb comes from: 'prd-table-4' (the PRD's tiers, not yet measured for this pipeline) or 'measured' (a run of benchmarks/gpu_pipelines.py at the tier's sizes)."
        ),
    ] = None
    memory_savers: Annotated[
        list[MemorySaverRule] | None,
        Field(
            description="What the entrypoint enables on a GPU with at most max_vram_gb of VRAM (the first rule that holds; none on a bigger GPU, nothing on the CPU): how a big model fits the smaller tiers.",
            max_length=8,
        ),
    ] = None
    cpus: Annotated[float | None, Field(gt=0.0, le=256.0)] = 1
    memory_mb: Annotated[int | None, Field(ge=64, le=1048576)] = 1024


class PipelineManifest(BaseModel):
    """
    pipeline_images/<id>/pipeline.json: what a containerised model takes, gives and needs (ARCHITECTURE §6). Adding a folder with one of these adds a node to the palette.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    id: Annotated[
        str,
        Field(
            description="Pipeline id, also its folder name, e.g. t2i-sd1.5 or cpu-storyboard.",
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
    category: Annotated[Category, Field(description="Palette category.")]
    task_type: TaskType
    inputs: Annotated[list[Port], Field(max_length=32)]
    outputs: Annotated[list[Port], Field(max_length=16, min_length=1)]
    params: Annotated[
        dict[str, Any] | None,
        Field(
            description="JSON Schema (draft 2020-12) of the pipeline's parameters; each property may carry an x-widget hint."
        ),
    ] = None
    resources: Resources
    image: Annotated[
        str,
        Field(
            description="Docker image name:tag built from this folder.",
            pattern="^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
        ),
    ]
    stack: Annotated[
        str | None,
        Field(
            description="The library stack the entrypoint runs on (pipeline_images/stacks/<stack>/, e.g. diffusers): the image builds FROM that stack's layer, and the process backend runs it in that stack's virtualenv. Absent: the base image and the studio's own interpreter (CPU pipelines).",
            pattern="^[a-z0-9][a-z0-9-]{0,40}$",
        ),
    ] = None
    entrypoint: Annotated[
        list[str] | None,
        Field(
            description="Command run inside the container (and by the process backend), relative to the pipeline folder.",
            min_length=1,
        ),
    ] = None
    gated: Annotated[
        list[GatedEnum] | None,
        Field(
            description="Content gates the studio applies to the pipeline's inputs and outputs, e.g. sfw: the runner writes the studio's gate settings into every request (run-request `gates`), which no node can change; the gate's classifier is one of the manifest's weights."
        ),
    ] = None
    weights: Annotated[
        list[Weight] | None,
        Field(
            description="Model files expected read-only from the model store; never baked into the image."
        ),
    ] = None
    deterministic: Annotated[
        bool | None,
        Field(
            description="Same inputs, params and seed give the same output: results may be cached."
        ),
    ] = False
    serve: Annotated[
        bool | None,
        Field(
            description="Keep a warm container that loads the model once and serves many jobs."
        ),
    ] = False
    timeout_s: Annotated[int | None, Field(ge=1, le=86400)] = 600
