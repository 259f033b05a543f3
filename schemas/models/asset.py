# Generated from schemas/asset.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum
from typing import Annotated, Literal
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class AssetKind(StrEnum):
    Character = "Character"
    Style = "Style"
    Prop = "Prop"


class ReferenceImage(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    file: Annotated[
        str,
        Field(
            description="Relative to the asset's folder: refs/<stem>-<sha8>.<ext>.",
            pattern="^refs/[A-Za-z0-9._-]+$",
        ),
    ]
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    width: Annotated[int, Field(ge=1)]
    height: Annotated[int, Field(ge=1)]
    caption: Annotated[
        str | None,
        Field(
            description="Appended to the trigger word in this image's training caption.",
            max_length=500,
        ),
    ] = None


class AssetVersion(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    version: Annotated[int, Field(ge=1, le=99)]
    file: Annotated[
        str,
        Field(
            description="Relative to the asset's folder: loras/<folder>_vNN.safetensors.",
            pattern="^loras/[A-Za-z0-9_-]+_v[0-9]{2}\\.safetensors$",
        ),
    ]
    sidecar: Annotated[
        str,
        Field(
            description="Relative to the asset's folder: the training provenance (base model and hash, steps, rank, learning rate, dataset hashes, loss).",
            pattern="^loras/[A-Za-z0-9_-]+_v[0-9]{2}\\.json$",
        ),
    ]
    sha256: Annotated[str, Field(pattern="^[0-9a-f]{64}$")]
    base_model: str
    trained_at: AwareDatetime
    task_id: str
    samples: Annotated[
        list[str],
        Field(
            description="Relative to the asset's folder: loras/<folder>_vNN_sampleN.png."
        ),
    ]


class Asset(BaseModel):
    """
    01_Assets/Generative_Assets/<Characters|Styles|Props>/<folder>/asset.json: a character, style or prop of the project (PRD §5.3), its reference images (LFS, in refs/ beside this file) and its trained LoRA versions (loras/<folder>_vNN.safetensors + sidecar, immutable).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    schema_version: Literal[1]
    uuid: Annotated[
        str,
        Field(pattern="^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
    ]
    kind: Annotated[AssetKind, Field(title="AssetKind")]
    name: Annotated[
        str,
        Field(
            description="Shown to people and naming the asset's folder (spaces become underscores); unique in the project, whatever the case.",
            pattern="^[A-Za-z0-9][A-Za-z0-9 _-]{0,62}[A-Za-z0-9]$|^[A-Za-z0-9]$",
        ),
    ]
    trigger_word: Annotated[
        str,
        Field(
            description="The token a prompt names the trained concept by (e.g. 'sks_mara'); unique in the project, whatever the case.",
            pattern="^[A-Za-z0-9][A-Za-z0-9_]{1,39}$",
        ),
    ]
    description: Annotated[str, Field(max_length=2000)]
    created_at: AwareDatetime
    reference_images: Annotated[list[ReferenceImage], Field(max_length=200)]
    versions: Annotated[
        list[AssetVersion],
        Field(
            description="Trained LoRA versions, oldest first; a version is never rewritten."
        ),
    ]
