"""The Git LFS batch API: which objects to transfer, and where (basic transfer only)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from server.gitserve.lfs_objects import OID_PATTERN
from server.gitserve.object_store import ObjectStore

LFS_MEDIA_TYPE = "application/vnd.git-lfs+json"
# How long a client may use an action's href; the Authorization header it carries is what authorises.
ACTION_EXPIRES_S = 3600


class LfsOperation(StrEnum):
    DOWNLOAD = "download"
    UPLOAD = "upload"


class BatchObject(BaseModel):
    oid: str = Field(max_length=128)
    size: int = Field(ge=0)


class BatchRequest(BaseModel):
    operation: LfsOperation
    transfers: list[str] = Field(default_factory=lambda: ["basic"])
    objects: list[BatchObject] = Field(max_length=10_000)
    hash_algo: str = "sha256"


def _error(obj: BatchObject, code: int, message: str) -> dict[str, Any]:
    return {"oid": obj.oid, "size": obj.size, "error": {"code": code, "message": message}}


def _action(href: str, headers: dict[str, str]) -> dict[str, Any]:
    return {"href": href, "header": headers, "expires_in": ACTION_EXPIRES_S}


def batch_response(request: BatchRequest, store: ObjectStore, lfs_url: str, headers: dict[str, str]) -> dict[str, Any]:
    """`lfs_url` is the repository's …/info/lfs; `headers` go into every action (the client's auth)."""
    answers = []
    for obj in request.objects:
        if not OID_PATTERN.fullmatch(obj.oid):
            answers.append(_error(obj, 422, "The oid must be 64 lowercase hexadecimal characters (sha256)."))
            continue
        stored = store.size_of(obj.oid)
        href = f"{lfs_url}/objects/{obj.oid}"
        if request.operation is LfsOperation.DOWNLOAD:
            if stored is None:
                answers.append(_error(obj, 404, "The server does not have this object; push it first."))
            elif stored != obj.size:
                answers.append(_error(obj, 422, f"The stored object has {stored} bytes, not {obj.size}."))
            else:
                answers.append(
                    {
                        **obj.model_dump(),
                        "authenticated": True,
                        "actions": {"download": _action(href, headers)},
                    }
                )
        elif stored == obj.size:
            answers.append({**obj.model_dump(), "authenticated": True})  # already there: nothing to send
        else:
            actions = {
                "upload": _action(href, headers),
                "verify": _action(f"{lfs_url}/verify", headers),
            }
            answers.append({**obj.model_dump(), "authenticated": True, "actions": actions})
    return {"transfer": "basic", "objects": answers, "hash_algo": "sha256"}
