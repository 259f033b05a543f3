"""Which LFS object store the server uses (STUDIO_LFS_*), and building it."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from server.gitserve.object_store import LocalObjectStore, ObjectStore
from server.gitserve.s3_store import S3ObjectStore


class LfsBackend(StrEnum):
    LOCAL = "local"
    S3 = "s3"


class LfsStoreSettings(BaseSettings):
    """Kept beside the server's Settings (not inside) so the pre-receive hook, a separate process, can
    rebuild the same store from the environment the server hands it."""

    model_config = SettingsConfigDict(env_prefix="STUDIO_LFS_", extra="ignore")

    backend: LfsBackend = LfsBackend.LOCAL
    dir: Path | None = Field(default=None, description="Local store; default <workspace>/.studio/lfs.")
    s3_bucket: str | None = None
    s3_prefix: str = Field(default="default", description="This tenant's prefix in the shared bucket.")
    s3_endpoint_url: str | None = None
    s3_region: str = "us-east-1"

    def as_env(self, state_dir: Path) -> dict[str, str]:
        """The environment that makes `LfsStoreSettings()` in a child process equal to this one."""
        env = {
            "STUDIO_LFS_BACKEND": self.backend.value,
            "STUDIO_LFS_DIR": str(self.local_dir(state_dir)),
            "STUDIO_LFS_S3_PREFIX": self.s3_prefix,
            "STUDIO_LFS_S3_REGION": self.s3_region,
        }
        if self.s3_bucket:
            env["STUDIO_LFS_S3_BUCKET"] = self.s3_bucket
        if self.s3_endpoint_url:
            env["STUDIO_LFS_S3_ENDPOINT_URL"] = self.s3_endpoint_url
        return env

    def local_dir(self, state_dir: Path) -> Path:
        return (self.dir or state_dir / "lfs").expanduser().resolve()


def build_store(config: LfsStoreSettings, state_dir: Path) -> ObjectStore:
    if config.backend is LfsBackend.LOCAL:
        return LocalObjectStore(config.local_dir(state_dir))
    if not config.s3_bucket:
        raise ValueError(
            "STUDIO_LFS_BACKEND=s3 needs STUDIO_LFS_S3_BUCKET (and credentials in the usual AWS_* "
            "variables); or set STUDIO_LFS_BACKEND=local."
        )
    import boto3  # imported here: a local-store server never loads botocore

    client = boto3.client("s3", endpoint_url=config.s3_endpoint_url, region_name=config.s3_region)
    return S3ObjectStore(client, config.s3_bucket, config.s3_prefix, config.local_dir(state_dir) / "incoming")
