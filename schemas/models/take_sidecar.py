# Generated from schemas/take-sidecar.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from typing import Annotated, Any, Literal
from typing_extensions import TypeAliasType


class Backend(StrEnum):
    docker = "docker"
    process = "process"
    comfyui = "comfyui"


class Pipeline(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    id: str
    version: str
    image: str | None = None
    image_digest: str | None = None
    backend: Backend | None = None


class Comfyui(BaseModel):
    """
    For a take of a pipeline template: what ComfyUI ran, so the take can be made again.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    prompt_id: str
    workflow: Annotated[
        dict[str, Any],
        Field(
            description="The workflow as queued (API format): the node's values, the uploaded files' names and the seed written in. Queue it on ComfyUI again to make the take again."
        ),
    ]
    uploads: Annotated[
        dict[str, str] | None,
        Field(
            description="Input name -> the name its file was stored under in ComfyUI's input folder."
        ),
    ] = None
    comfyui_version: str | None = None


ModelsAdditionalProperty = TypeAliasType(
    "ModelsAdditionalProperty", Annotated[str | None, Field(pattern="^[0-9a-f]{64}$")]
)


class Network(BaseModel):
    """
    For a model folder of network files (weights format folder): the file that ran, its sha256 and what the loader detected in it (architecture, purpose, scale, tile).
    """

    file: str
    sha256: Annotated[str | None, Field(pattern="^[0-9a-f]{64}$")]
    architecture: str | None = None
    purpose: str | None = None
    scale: Annotated[int | None, Field(ge=1)] = None
    tile: Annotated[int | None, Field(ge=0)] = None


class Model(BaseModel):
    """
    What ran, as the pipeline reported it (generative models): the weights and their hash, the library versions, the device and every argument of the library call, defaults included.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[
        str, Field(description="The model-store folder, e.g. stable-diffusion-v1-5.")
    ]
    weights_sha256: Annotated[
        str | None,
        Field(
            description="The model record's fingerprint; null when the folder has no record (run `studio models verify`).",
            pattern="^[0-9a-f]{64}$",
        ),
    ] = None
    libraries: dict[str, str] | None = None
    device: str | None = None
    dtype: str | None = None
    memory_savers: list[str] | None = None
    peak_vram_gb: Annotated[
        float | None,
        Field(
            description="Peak GPU memory the job allocated (torch); null on the CPU.",
            ge=0.0,
        ),
    ] = None
    arguments: Annotated[
        dict[str, Any] | None,
        Field(
            description="Every argument of the library call (steps, guidance, size, frames…), defaults included."
        ),
    ] = None
    models: Annotated[
        dict[str, ModelsAdditionalProperty] | None,
        Field(
            description="When the run read several model-store folders (face swap: detector, swapper, gate): each folder's record fingerprint (null without a record)."
        ),
    ] = None
    network: Annotated[
        Network | None,
        Field(
            description="For a model folder of network files (weights format folder): the file that ran, its sha256 and what the loader detected in it (architecture, purpose, scale, tile)."
        ),
    ] = None


class Inputs(BaseModel):
    value: Any | None = None
    path: str | None = None
    sha256: str | None = None


class Requested(StrEnum):
    low = "low"
    standard = "standard"
    high = "high"
    cpu = "cpu"


class Used(StrEnum):
    low = "low"
    standard = "standard"
    high = "high"
    cpu = "cpu"


class Quality(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    requested: Requested
    used: Used
    fallback_reason: str | None = None


class Worker(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    host: str
    gpu: str | None = None
    queue: str | None = None


class Timings(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    queued_at: AwareDatetime
    started_at: AwareDatetime
    finished_at: AwareDatetime
    run_seconds: Annotated[float | None, Field(ge=0.0)] = None


class VideoProbe(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    codec: str
    pix_fmt: str
    width: Annotated[int, Field(ge=1)]
    height: Annotated[int, Field(ge=1)]
    fps_num: Annotated[
        int,
        Field(
            description="The frame rate as a fraction: 30000/1001 for 29.97 fps.", ge=1
        ),
    ]
    fps_den: Annotated[int, Field(ge=1)]


class AudioProbe(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    codec: str
    sample_rate: Annotated[int, Field(ge=1)]
    channels: Annotated[int, Field(ge=1)]


class MediaProbe(BaseModel):
    """
    What ffmpeg found in a video or audio take when it was committed, so a render reads this instead of probing (ARCHITECTURE §12). Takes committed before it existed have none and are probed. A stream the take does not have (video, audio) is absent (sidecars are written without nulls).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    duration_s: Annotated[
        float,
        Field(
            description="The container's duration in seconds (0 when it states none).",
            ge=0.0,
        ),
    ]
    frames: Annotated[
        int, Field(description="Video frames, counted from the packets.", ge=0)
    ]
    keyframes: Annotated[
        list[int],
        Field(
            description="Display-order indices of the video keyframes (the GOP structure).",
            max_length=1000000,
        ),
    ]
    video: VideoProbe | None = None
    audio: AudioProbe | None = None


class Output(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    name: Annotated[str, Field(description="The pipeline output this take is.")]
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    size: Annotated[int, Field(ge=0)]
    media_type: str
    media: Annotated[
        dict[str, Any] | None,
        Field(
            description="Probed media facts: width, height, duration, fps, sample rate…"
        ),
    ] = None
    probe: MediaProbe | None = None


class TakeSidecar(BaseModel):
    """
    The provenance of one take, stored beside it as <take stem>.json and committed with it (ARCHITECTURE §8).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    take: Annotated[
        str,
        Field(
            description="The take's file name (never a path), e.g. SHOT-010_v01_take03.png.",
            pattern="^(SHOT-[0-9]{3,4}|NODE-[A-Za-z0-9]{1,64})_v[0-9]{2}_take[0-9]{2,3}\\.[a-z0-9]+$",
        ),
    ]
    node_id: str
    shot_id: Annotated[
        str,
        Field(
            description="The shot the take belongs to, or NODE-<node id> for a node that is not a shot.",
            pattern="^(SHOT-[0-9]{3,4}|NODE-[A-Za-z0-9]{1,64})$",
        ),
    ]
    scene: Annotated[str, Field(pattern="^SCENE_[0-9]{2,3}$")]
    version: Annotated[int, Field(ge=1, le=99)]
    take_number: Annotated[int, Field(ge=1, le=999)]
    task_id: str
    cache_key: Annotated[str | None, Field(pattern="^[0-9a-f]{64}$")] = None
    pipeline: Pipeline
    comfyui: Annotated[
        Comfyui | None,
        Field(
            description="For a take of a pipeline template: what ComfyUI ran, so the take can be made again."
        ),
    ] = None
    params: dict[str, Any]
    model: Annotated[
        Model | None,
        Field(
            description="What ran, as the pipeline reported it (generative models): the weights and their hash, the library versions, the device and every argument of the library call, defaults included."
        ),
    ] = None
    seed: int
    inputs: Annotated[
        dict[str, Inputs],
        Field(
            description="Resolved inputs: primitive values, or repository paths with their sha256."
        ),
    ]
    quality: Quality
    worker: Worker
    timings: Timings
    output: Output
