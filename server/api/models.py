"""Request and response bodies of the REST API (XCreate / XUpdate / XPublic families)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from schemas.models.asset import Asset, AssetKind
from schemas.models.canvas_graph import CanvasGraph
from schemas.models.node_type import PipelineAvailability
from schemas.models.project_manifest import HardwarePolicy, Quality
from schemas.models.socket_type import SocketType
from server.db.tables import Role
from server.media.types import MediaKind
from server.training.service import DEFAULT_BASE_MODEL

AspectRatio = Annotated[
    str,
    Field(pattern=r"^[1-9][0-9]{0,2}(\.[0-9]{1,3})?:[1-9][0-9]{0,2}$", examples=["16:9", "2.39:1"]),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TokenPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"


class PasswordChange(Strict):
    current_password: Annotated[str, Field(min_length=1, max_length=1024)]
    new_password: Annotated[str, Field(min_length=1, max_length=1024, description="8 to 1024 characters.")]


class UserPublic(BaseModel):
    username: str
    is_admin: bool


class ProjectCreate(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200, description="The project title.")]
    description: Annotated[str, Field(max_length=5000)] = ""
    aspect_ratio: AspectRatio = "16:9"
    quality: Quality = Quality.standard
    hardware_policy: HardwarePolicy = HardwarePolicy.fallback


class ProjectSettingsUpdate(Strict):
    aspect_ratio: AspectRatio | None = None
    quality: Quality | None = None
    hardware_policy: HardwarePolicy | None = None


class ProjectUpdate(Strict):
    version: Annotated[int, Field(ge=1, description="The version this change was made against.")]
    graph: CanvasGraph | None = None
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=5000)] | None = None
    project_settings: ProjectSettingsUpdate | None = None


class ProjectSummary(BaseModel):
    id: str
    name: str
    slug: str
    description: str
    aspect_ratio: str
    quality: str
    hardware_policy: str
    role: Role
    version: int
    updated_at: datetime


class ProjectPublic(ProjectSummary):
    canvas_path: str
    graph: dict[str, Any]


class ProjectSaved(BaseModel):
    status: Literal["success"] = "success"
    id: str
    version: int


class MemberSet(Strict):
    username: Annotated[str, Field(min_length=1, max_length=64)]
    role: Literal[Role.EDITOR, Role.VIEWER]


class MemberPublic(BaseModel):
    username: str
    role: Role


class UploadPublic(BaseModel):
    path: Annotated[str, Field(examples=["01_Assets/Source_Media/voice-1a2b3c4d.wav"])]
    url: Annotated[str, Field(description="Where the files route serves it (with the same bearer token).")]
    sha256: str
    size: Annotated[int, Field(description="Bytes.")]
    kind: MediaKind
    socket_type: Annotated[SocketType, Field(description="The socket type a file widget or Asset node feeds.")]


class HealthCheck(BaseModel):
    ok: bool
    message: str


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded"]
    git_lfs: HealthCheck
    database: HealthCheck
    redis: HealthCheck
    workspace: Annotated[str | None, Field(description="The workspace's absolute path; admins only.")] = None


class AssetCreate(Strict):
    kind: AssetKind
    name: Annotated[str, Field(max_length=200, examples=["Mara Voss"])]
    trigger_word: Annotated[str, Field(max_length=200, examples=["sks_mara"])]
    description: Annotated[str, Field(max_length=2000)] = ""


class AssetUpdate(Strict):
    name: Annotated[str | None, Field(max_length=200)] = None
    trigger_word: Annotated[str | None, Field(max_length=200)] = None
    description: Annotated[str | None, Field(max_length=2000)] = None
    captions: Annotated[
        dict[str, Annotated[str, Field(max_length=500)]] | None,
        Field(description="Reference image file (as `asset.reference_images[].file`) -> caption; '' clears it."),
    ] = None


class TrainingCreate(Strict):
    base_model: Annotated[
        str,
        Field(
            max_length=200,
            description="The model store folder to train on: one of `GET …/training/base-models`.",
            examples=[DEFAULT_BASE_MODEL],
        ),
    ] = DEFAULT_BASE_MODEL
    steps: Annotated[int, Field(ge=1, le=20000)] = 800
    rank: Annotated[int, Field(ge=1, le=128)] = 16
    learning_rate: Annotated[float, Field(gt=0, le=0.01)] = 1e-4
    resolution: Annotated[int, Field(ge=32, le=1024, multiple_of=8)] = 512
    seed: Annotated[int, Field(ge=0, le=2**32 - 1)] = 0


class TrainingBaseModelPublic(BaseModel):
    base_model: Annotated[
        str, Field(description="Its model store folder: `TrainingCreate.base_model`.", examples=["FLUX.1-dev"])
    ]
    name: Annotated[str, Field(examples=["FLUX.1 [dev] (diffusers layout)"])]
    pipeline_id: Annotated[str, Field(description="The pipeline that trains on it.", examples=["train-lora-flux"])]
    is_default: Annotated[bool, Field(description="What a training that names no base model uses.")]
    availability: Annotated[
        PipelineAvailability,
        Field(description="Whether its pipeline can run here now, and the command that fixes each missing part."),
    ]


class ModelPullCreate(Strict):
    repo: Annotated[
        str | None,
        Field(
            max_length=200,
            pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$",
            description="Hugging Face repository; default: the one the pipelines' manifests name.",
            examples=["stable-diffusion-v1-5/stable-diffusion-v1-5"],
        ),
    ] = None
    revision: Annotated[
        str | None,
        Field(
            max_length=200,
            pattern=r"^[A-Za-z0-9._/-]+$",
            description="Branch, tag or commit; default: the manifest's, else main.",
        ),
    ] = None
    replace: Annotated[bool, Field(description="Swap out a model of that name already in the store.")] = False
    worker: Annotated[
        str | None,
        Field(
            max_length=200,
            description="Pull on this worker's host (its id in GET /api/v1/system/workers): each host has its own "
            "store. Default: whichever worker takes it first.",
        ),
    ] = None


class AssetPublic(BaseModel):
    asset: Asset
    folder: Annotated[
        str,
        Field(
            description="The asset's folder in the project; its files (`asset.reference_images[].file`, "
            "`asset.versions[].file`) are served by the files route under it.",
            examples=["01_Assets/Generative_Assets/Characters/Mara_Voss"],
        ),
    ]


class LibraryAssetPublic(BaseModel):
    asset: Asset
    library_path: Annotated[
        str,
        Field(description="The asset's folder in the workspace Library.", examples=["Assets/Characters/Mara_Voss"]),
    ]
    thumbnail_url: Annotated[
        str | None,
        Field(
            description="Its thumbnail (newest sample, else first reference image), served with the same bearer "
            "token; null before it has a picture."
        ),
    ]


class AssetPromoted(BaseModel):
    library_path: Annotated[
        str, Field(description="Where it is now, in the workspace Library.", examples=["Assets/Characters/Mara_Voss"])
    ]


ReadinessCheck = Literal["database", "redis", "git_lfs", "workers"]


class ReadinessPublic(BaseModel):
    """GET /readyz: which checks pass, by name only (no addresses, versions or paths: the probe is unauthenticated)."""

    status: Literal["ready", "not_ready"]
    failing: list[ReadinessCheck]
    checks: dict[ReadinessCheck, bool]
