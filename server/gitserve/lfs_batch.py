"""The Git LFS batch API: which objects to transfer, and where (basic transfer only).

An object answers for a project only when it is linked to it: a download of an unlinked object is "not
found" (whether another project has it is nobody's business), and an upload of an unlinked one is asked for
again, bytes and all, never answered "already there". Actions carry a short-lived transfer token
(lfs_actions), never the credentials the batch request came with.
"""

from __future__ import annotations

from collections.abc import Set
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from server.gitserve.lfs_actions import ACTION_EXPIRES_S
from server.gitserve.lfs_objects import OID_PATTERN
from server.gitserve.object_store import ObjectStore
from server.projects.uploads import describe_size

LFS_MEDIA_TYPE = "application/vnd.git-lfs+json"
OBJECT_LIMIT_SETTING = "STUDIO_LFS_MAX_OBJECT_BYTES"
NOT_FOUND = "The server does not have this object for this project; push it first."


class LfsOperation(StrEnum):
    DOWNLOAD = "download"
    UPLOAD = "upload"


class BatchObject(BaseModel):
    oid: str = Field(max_length=128)
    size: int = Field(ge=0)


class BatchRequest(BaseModel):
    operation: LfsOperation
    transfers: list[str] = Field(default_factory=lambda: ["basic"], max_length=32)
    objects: list[BatchObject] = Field(max_length=10_000)
    hash_algo: str = Field(default="sha256", max_length=32)


def too_large_message(size: int, max_bytes: int) -> str:
    return (
        f"The object has {size} bytes; this server takes Git LFS objects up to {describe_size(max_bytes)} "
        f"({OBJECT_LIMIT_SETTING}). Store a smaller file, or ask the operator to raise the limit."
    )


def _error(obj: BatchObject, code: int, message: str) -> dict[str, Any]:
    return {"oid": obj.oid, "size": obj.size, "error": {"code": code, "message": message}}


def batch_response(
    request: BatchRequest, store: ObjectStore, linked: Set[str], lfs_url: str, token: str, max_object_bytes: int
) -> dict[str, Any]:
    """`linked` are the requested oids the project holds; `lfs_url` is the repository's …/info/lfs; `token`
    authorises this batch's transfers."""

    def _action(href: str) -> dict[str, Any]:
        return {"href": href, "header": {"Authorization": f"Bearer {token}"}, "expires_in": ACTION_EXPIRES_S}

    answers = []
    for obj in request.objects:
        if not OID_PATTERN.fullmatch(obj.oid):
            answers.append(_error(obj, 422, "The oid must be 64 lowercase hexadecimal characters (sha256)."))
            continue
        href = f"{lfs_url}/objects/{obj.oid}"
        if request.operation is LfsOperation.DOWNLOAD:
            stored = store.size_of(obj.oid) if obj.oid in linked else None
            if stored is None:
                answers.append(_error(obj, 404, NOT_FOUND))
            elif stored != obj.size:
                answers.append(_error(obj, 422, f"The stored object has {stored} bytes, not {obj.size}."))
            else:
                answers.append({**obj.model_dump(), "authenticated": True, "actions": {"download": _action(href)}})
        elif obj.size > max_object_bytes:
            answers.append(_error(obj, 422, too_large_message(obj.size, max_object_bytes)))
        elif obj.oid in linked and store.size_of(obj.oid) == obj.size:
            answers.append(obj.model_dump())  # this project has it: nothing to send
        else:
            actions = {"upload": _action(href), "verify": _action(f"{lfs_url}/verify")}
            answers.append({**obj.model_dump(), "authenticated": True, "actions": actions})
    return {"transfer": "basic", "objects": answers, "hash_algo": "sha256"}
