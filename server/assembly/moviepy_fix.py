"""MoviePy 2.2's readers leak their ffmpeg pipes when the process has already exited (close() only closes
stdout/stderr after terminating a live process), which Python reports as ResourceWarnings on every render.
Until upstream fixes it, their close() is replaced by one that always closes the pipes."""

from __future__ import annotations

from typing import Any

from moviepy.audio.io.readers import FFMPEG_AudioReader
from moviepy.video.io.ffmpeg_reader import FFMPEG_VideoReader


def _close_process(reader: Any) -> None:
    proc = getattr(reader, "proc", None)
    if proc:
        if proc.poll() is None:
            proc.terminate()
        for pipe in (proc.stdout, proc.stderr, proc.stdin):
            if pipe is not None:
                pipe.close()
        proc.wait()
        reader.proc = None


def _video_close(self: Any, delete_lastread: bool = True) -> None:
    _close_process(self)
    if delete_lastread and hasattr(self, "last_read"):
        del self.last_read


def install() -> None:
    FFMPEG_VideoReader.close = _video_close
    FFMPEG_AudioReader.close = _close_process
