"""Typed factories: users with tokens, projects, PNG bytes, short media files of every uploadable kind."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import imageio_ffmpeg
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from server.auth import users
from server.db.engine import session_scope

PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class TestUser:
    __test__ = False  # not a pytest test class
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_user(client: TestClient, engine: Engine, username: str, *, admin: bool = False) -> TestUser:
    with session_scope(engine) as session:
        users.create_user(session, username, PASSWORD, is_admin=admin)
    response = client.post("/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return TestUser(username, response.json()["access_token"])


def create_project(client: TestClient, user: TestUser, name: str = "My Film", **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/projects", json={"name": name, **fields}, headers=user.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def png_bytes(width: int = 4, height: int = 3, rgb: tuple[int, int, int] = (200, 40, 10)) -> bytes:
    """A valid RGB PNG built by hand (no imaging library needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


# ffmpeg's built-in test sources: a still, a one-second clip, half a second of a 440 Hz tone.
_STILL = ["-f", "lavfi", "-i", "testsrc=size=32x24", "-frames:v", "1"]
_CLIP = ["-f", "lavfi", "-i", "testsrc=size=32x24:rate=10:duration=1", "-pix_fmt", "yuv420p"]
_TONE = ["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5"]
MEDIA_SOURCES = {
    **dict.fromkeys(("png", "jpg", "jpeg", "webp"), _STILL),
    **dict.fromkeys(("mp4", "mov", "webm", "mkv"), _CLIP),
    **dict.fromkeys(("wav", "mp3", "flac", "ogg", "m4a"), _TONE),
}


def media_bytes(folder: Path, extension: str) -> bytes:
    """A short, valid media file of the type `extension` names, encoded by ffmpeg in `folder`."""
    target = folder / f"generated.{extension}"
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", *MEDIA_SOURCES[extension], str(target)],
        check=True,
        timeout=60,
    )
    return target.read_bytes()


SEED_TEMPLATES = Path(__file__).resolve().parents[2] / "library" / "Pipeline_Templates"


def copy_seed_template(parent: Path, template_id: str = "sd15-txt2img", **manifest_changes: Any) -> Path:
    """A copy of a shipped seed template under `parent` (its folder renamed and id changed with `id=`)."""
    manifest = json.loads((SEED_TEMPLATES / template_id / "template.json").read_text(encoding="utf-8"))
    manifest.update(manifest_changes)
    folder = parent / manifest["id"]
    folder.mkdir(parents=True)
    shutil.copy(SEED_TEMPLATES / template_id / "workflow.json", folder / "workflow.json")
    (folder / "template.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def take_fields(task_id: str, **extra: Any) -> dict[str, Any]:
    """What a job hands commit_take besides the file: a take sidecar's fields (schemas/take-sidecar)."""
    stamp = "2026-11-23T10:00:00Z"
    return {
        "node_id": "shot-010",
        "task_id": task_id,
        "cache_key": None,
        "pipeline": {"id": "cpu-storyboard", "version": "1.0.0", "backend": "process"},
        "params": {"prompt": "dusk"},
        "seed": 7,
        "inputs": {"prompt": {"value": "dusk"}},
        "quality": {"requested": "low", "used": "cpu"},
        "worker": {"host": "test"},
        "timings": {"queued_at": stamp, "started_at": stamp, "finished_at": stamp},
        "output": {"name": "image"},
        **extra,
    }
