"""Media facts of a take (kind, MIME type, sha256) and its thumbnail/poster, made with ffmpeg."""

from __future__ import annotations

import hashlib
import subprocess
from enum import StrEnum
from pathlib import Path

import imageio_ffmpeg

HASH_CHUNK = 1 << 20
THUMBNAIL_WIDTH = 320


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


MEDIA_TYPES: dict[str, tuple[MediaKind, str]] = {
    "png": (MediaKind.IMAGE, "image/png"),
    "jpg": (MediaKind.IMAGE, "image/jpeg"),
    "jpeg": (MediaKind.IMAGE, "image/jpeg"),
    "webp": (MediaKind.IMAGE, "image/webp"),
    "exr": (MediaKind.IMAGE, "image/x-exr"),
    "mp4": (MediaKind.VIDEO, "video/mp4"),
    "mov": (MediaKind.VIDEO, "video/quicktime"),
    "webm": (MediaKind.VIDEO, "video/webm"),
    "mkv": (MediaKind.VIDEO, "video/x-matroska"),
    "wav": (MediaKind.AUDIO, "audio/wav"),
    "mp3": (MediaKind.AUDIO, "audio/mpeg"),
    "flac": (MediaKind.AUDIO, "audio/flac"),
    "ogg": (MediaKind.AUDIO, "audio/ogg"),
}


def media_type(extension: str) -> tuple[MediaKind, str] | None:
    return MEDIA_TYPES.get(extension.lower())


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def make_thumbnail(source: Path, kind: MediaKind, target: Path) -> bool:
    """A PNG preview: the image scaled down, a video's first frame, an audio waveform. False if ffmpeg fails
    (a thumbnail is a convenience: the take stands without it)."""
    if kind is MediaKind.AUDIO:
        filters = ["-filter_complex", f"showwavespic=s={THUMBNAIL_WIDTH}x80:colors=0x7aa2f7", "-frames:v", "1"]
    else:
        filters = ["-vf", f"scale={THUMBNAIL_WIDTH}:-2", "-frames:v", "1"]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.part.png")
    done = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-i", str(source), *filters, str(partial)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        return False
    partial.replace(target)
    return True
