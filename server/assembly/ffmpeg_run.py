"""Running ffmpeg with errors that say which step failed and what ffmpeg said."""

from __future__ import annotations

import subprocess

from server.assembly.probe import ffmpeg_exe
from server.errors import StudioError


class RenderError(StudioError):
    code = "render_failed"


def run_ffmpeg(args: list[str], step: str) -> None:
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error", *args], capture_output=True)
    if done.returncode != 0:
        said = " ".join(done.stderr.decode(errors="replace").strip().splitlines()[-3:])
        raise RenderError(f"ffmpeg failed while {step}: {said or 'no message'}. Check the clip's file and retry.")
