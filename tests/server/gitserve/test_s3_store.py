"""The S3 object store against moto's server on loopback: verification, tenant prefixes, a live push."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi import FastAPI
from moto.server import ThreadedMotoServer

from server.gitserve.errors import ObjectMismatchError
from server.gitserve.hosting import GitHosting
from server.gitserve.lfs_objects import LfsObject
from server.gitserve.object_store import Spool, store_file
from server.gitserve.s3_store import S3ObjectStore
from server.gitserve.store_config import LfsBackend, LfsStoreSettings, build_store
from server.projects.git import GitRepo, studio_author
from tests.support.git_client import GitClient, random_bytes, sha256_hex, write
from tests.support.postgres import free_port

TAKE = "03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4"


@pytest.fixture
def bucket() -> str:
    # moto keeps one in-memory S3 per process: a bucket per test keeps tests apart.
    return f"main-workspace-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def s3_endpoint(monkeypatch: pytest.MonkeyPatch, bucket: str) -> Iterator[str]:
    for key, value in (
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_DEFAULT_REGION", "us-east-1"),
    ):
        monkeypatch.setenv(key, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=bucket)
    yield endpoint
    server.stop()


def _settings(endpoint: str, bucket: str, tenant: str) -> LfsStoreSettings:
    return LfsStoreSettings(backend=LfsBackend.S3, s3_bucket=bucket, s3_prefix=tenant, s3_endpoint_url=endpoint)


def _s3_store(endpoint: str, bucket: str, tenant: str, state_dir: Path) -> S3ObjectStore:
    store = build_store(_settings(endpoint, bucket, tenant), state_dir)
    assert isinstance(store, S3ObjectStore)
    return store


def test_objects_are_verified_and_kept_per_tenant(s3_endpoint: str, bucket: str, tmp_path: Path) -> None:
    tenant_a = _s3_store(s3_endpoint, bucket, "tenant-a", tmp_path)
    tenant_b = _s3_store(s3_endpoint, bucket, "tenant-b", tmp_path)
    data = random_bytes(9 * 1024 * 1024, seed=20)  # above boto3's multipart threshold
    source = tmp_path / "take.bin"
    source.write_bytes(data)
    obj = LfsObject(sha256_hex(data), len(data))

    store_file(tenant_a, obj, source)

    assert tenant_a.size_of(obj.oid) == len(data)
    assert b"".join(tenant_a.read_chunks(obj.oid)) == data
    assert tenant_b.size_of(obj.oid) is None  # another tenant's prefix does not see it
    keys = [o["Key"] for o in tenant_a.client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"tenant-a/lfs/objects/{obj.oid[:2]}/{obj.oid[2:4]}/{obj.oid}"]


def test_a_tampered_upload_never_reaches_the_bucket(s3_endpoint: str, bucket: str, tmp_path: Path) -> None:
    store = _s3_store(s3_endpoint, bucket, "tenant-a", tmp_path)
    data = b"the real take"
    spool = Spool(store, LfsObject(sha256_hex(data), len(data)))
    spool.write(b"the fake take")
    with pytest.raises(ObjectMismatchError, match="sha256"):
        spool.finish()
    spool.discard()
    assert store.size_of(sha256_hex(data)) is None
    assert "Contents" not in store.client.list_objects_v2(Bucket=bucket)


@pytest.mark.slow
def test_push_and_clone_with_the_s3_store(
    s3_endpoint: str,
    bucket: str,
    app: FastAPI,
    repo_url: str,
    alice_git: GitClient,
    tmp_path: Path,
    project: dict[str, Any],
) -> None:
    app.state.git_hosting = GitHosting.create(app.state.settings, _settings(s3_endpoint, bucket, "tenant-a"))
    store = app.state.git_hosting.store
    take = random_bytes(2 * 1024 * 1024, seed=21)
    work = alice_git.clone(repo_url, tmp_path / "work")
    write(work / TAKE, take)
    alice_git.run("add", ".", cwd=work)
    alice_git.run("commit", "-qm", "take", cwd=work)
    alice_git.run("push", "-q", "origin", "main", cwd=work)

    assert store.size_of(sha256_hex(take)) == len(take)
    served = GitRepo(app.state.settings.projects_dir / project["slug"])
    assert (served.root / TAKE).read_bytes() == take  # the hook fetched it for the working tree

    server_take = random_bytes(100_000, seed=22)
    other = TAKE.replace("take01", "take02")
    with served.lock():
        write(served.root / other, server_take)
        served.commit([other], "take: SHOT-010 v01 take02", studio_author("alice"))
    fresh = alice_git.clone(repo_url, tmp_path / "fresh")
    assert (fresh / TAKE).read_bytes() == take
    assert (fresh / other).read_bytes() == server_take
    assert store.size_of(sha256_hex(server_take)) == len(server_take)
