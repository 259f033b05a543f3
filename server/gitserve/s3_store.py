"""The LFS object store in S3: one shared bucket, each tenant's objects under its own prefix (PRD §8.2)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from server.gitserve.errors import LfsObjectMissingError
from server.gitserve.lfs_objects import LfsObject, object_relpath, validate_oid
from server.gitserve.object_store import store_file

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

CHUNK_BYTES = 1024 * 1024


class S3ObjectStore:
    """Keys are `<tenant prefix>/lfs/objects/ab/cd/<oid>`. Uploads are verified on local disk (the staging
    dir) before they are sent, so the bucket only ever holds objects whose content matches their id."""

    def __init__(self, client: S3Client, bucket: str, tenant_prefix: str, staging: Path) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = tenant_prefix.strip("/")
        self._staging = staging

    def key_for(self, oid: str) -> str:
        return f"{self.prefix}/lfs/{object_relpath(oid)}" if self.prefix else f"lfs/{object_relpath(oid)}"

    def size_of(self, oid: str) -> int | None:
        try:
            head = self.client.head_object(Bucket=self.bucket, Key=self.key_for(validate_oid(oid)))
        except self.client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return int(head["ContentLength"])

    def staging_dir(self) -> Path:
        return self._staging

    def adopt(self, obj: LfsObject, verified_file: Path) -> None:
        # upload_file switches to multipart above 8 MB; S3 makes the object visible only when complete.
        self.client.upload_file(str(verified_file), self.bucket, self.key_for(obj.oid))
        verified_file.unlink(missing_ok=True)

    def ingest(self, obj: LfsObject, source: Path) -> None:
        store_file(self, obj, source)

    def read_chunks(self, oid: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.key_for(oid))["Body"]
        except self.client.exceptions.NoSuchKey as exc:
            raise LfsObjectMissingError(oid) from exc
        try:
            yield from body.iter_chunks(CHUNK_BYTES)
        finally:
            body.close()

    def fetch_to(self, obj: LfsObject, destination: Path) -> None:
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = destination.with_name(f".{destination.name}.part")
        self.client.download_file(self.bucket, self.key_for(obj.oid), str(temporary))
        temporary.replace(destination)
