"""A take's thumbnail or poster: the image scaled down, a video's first frame, an audio waveform."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

from server.media.ffmpeg import ffmpeg_exe, input_args
from server.media.processes import ProcessScope
from server.media.types import MediaKind

THUMBNAIL_WIDTH = 320
THUMBNAIL_TIMEOUT_S = 120


def make_thumbnail(source: Path, kind: MediaKind, target: Path, scope: ProcessScope | None = None) -> bool:
    """A PNG preview at `target`. False if ffmpeg fails (a thumbnail is a convenience: the take stands without it)."""
    if kind is MediaKind.audio:
        filters = ["-filter_complex", f"showwavespic=s={THUMBNAIL_WIDTH}x80:colors=0x7aa2f7", "-frames:v", "1"]
    else:
        filters = ["-vf", f"scale={THUMBNAIL_WIDTH}:-2", "-frames:v", "1"]
    target.parent.mkdir(parents=True, exist_ok=True)
    # Each call writes its own partial: two requests making the same thumbnail at once (the Library's, the takes')
    # must not write into or move each other's half-written file.
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}.part.png")
    command = [ffmpeg_exe(), "-v", "error", "-y", *input_args(source), *filters, str(partial)]
    try:
        done = (scope or ProcessScope()).run(command, timeout_s=THUMBNAIL_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        done = None
    if done is None or done.returncode != 0 or not partial.exists():
        partial.unlink(missing_ok=True)
        return False
    partial.replace(target)
    return True
