"""How MoviePy 2.2 runs ffmpeg, brought under the studio's rules (MoviePy starts its readers and writers itself and
offers no hook for either):

- every process it starts is started through the job's ProcessScope (server.media.processes.current_scope), so a
  cancelled or timed-out render kills MoviePy's ffmpeg too, and its file inputs are spelled with the forced demuxer
  and the file-only protocol whitelist (server.media.ffmpeg.guard_inputs), as every ffmpeg run on user media is;
- its readers leak their pipes when the process has already exited (close() only closes stdout/stderr after
  terminating a live process), which Python reports as ResourceWarnings on every render: their close() is replaced
  by one that always closes the pipes."""

from __future__ import annotations

import subprocess
import types
from typing import Any

from moviepy.audio.io import ffmpeg_audiowriter, readers
from moviepy.audio.io.readers import FFMPEG_AudioReader
from moviepy.video.io import ffmpeg_reader
from moviepy.video.io.ffmpeg_reader import FFMPEG_VideoReader

from server.media.ffmpeg import guard_inputs
from server.media.processes import current_scope


def _popen(args: list[str], **popen: Any) -> subprocess.Popen[bytes]:
    command = guard_inputs(args)
    scope = current_scope.get()
    if scope is None:  # MoviePy used outside a job (nothing can cancel it)
        return subprocess.Popen(command, **popen)
    return scope.start(command, **popen)


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
    guarded = types.SimpleNamespace(**{name: getattr(subprocess, name) for name in subprocess.__all__})
    guarded.Popen = _popen
    for module in (ffmpeg_reader, readers, ffmpeg_audiowriter):
        module.sp = guarded
    FFMPEG_VideoReader.close = _video_close
    FFMPEG_AudioReader.close = _close_process
