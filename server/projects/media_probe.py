"""Whether a file decodes as the media its extension claims: ffmpeg decodes its first frame or second."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import imageio_ffmpeg

from server.takes.media import MediaKind

PROBE_TIMEOUT_S = 120
# The demuxer is forced by extension: ffmpeg then never guesses a format from the content, so a file
# that is really a playlist or another container cannot make it read other files or URLs, and a WAV
# named .png is refused as the PNG it is not.
DEMUXERS = {
    "png": "png_pipe",
    "jpg": "jpeg_pipe",
    "jpeg": "jpeg_pipe",
    "webp": "webp_pipe",
    "mp4": "mov",
    "mov": "mov",
    "m4a": "mov",
    "webm": "matroska",
    "mkv": "matroska",
    "wav": "wav",
    "mp3": "mp3",
    "flac": "flac",
    "ogg": "ogg",
}
# The stream that must exist for the kind, and how much of it is decoded.
DECODED: dict[MediaKind, tuple[str, tuple[str, ...]]] = {
    MediaKind.IMAGE: ("0:v:0", ("-frames:v", "1")),
    MediaKind.VIDEO: ("0:v:0", ("-t", "1")),
    MediaKind.AUDIO: ("0:a:0", ("-t", "1")),
}
_LOG_PREFIX = re.compile(r"^(\[[^\]]*\]\s*)+")


def decode_problem(path: Path, extension: str, kind: MediaKind) -> str | None:
    """None when the start of `path` decodes as `kind`; otherwise ffmpeg's first error line."""
    stream, limit = DECODED[kind]
    command = [
        imageio_ffmpeg.get_ffmpeg_exe(),
        "-nostdin",
        "-v",
        "error",
        "-xerror",  # stop at the first decoding error instead of concealing it
        "-protocol_whitelist",
        "file",
        "-f",
        DEMUXERS[extension],
        "-i",
        str(path),
        "-map",
        stream,
        *limit,
        # One checksum line per decoded frame: proof that something was decoded, not just opened.
        "-f",
        "framecrc",
        "-",
    ]
    try:
        done = subprocess.run(command, capture_output=True, timeout=PROBE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        return f"decoding the first second took longer than {PROBE_TIMEOUT_S} s"
    errors = [line for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
    frames = [line for line in done.stdout.decode(errors="replace").splitlines() if line and not line.startswith("#")]
    if done.returncode == 0 and frames:
        return None
    if not errors:
        return "no frame could be decoded"
    if "matches no streams" in errors[0]:  # the -map above found nothing to decode
        return f"it has no {'audio' if kind is MediaKind.AUDIO else 'video'} stream"
    # "[png @ 0x55…] Invalid PNG signature …": the bracketed source and address say nothing to a user.
    return (_LOG_PREFIX.sub("", errors[0].strip()) or errors[0].strip()).rstrip(".")
