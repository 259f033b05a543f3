"""Running ffmpeg (imageio-ffmpeg's static build) on user media: file protocol only, the demuxer forced by extension,
errors that name the step, processes that a cancel stops."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import imageio_ffmpeg

from server.errors import InvalidInputError, StudioError
from server.media.processes import ProcessScope
from server.media.types import media_type, suffix_of

# Inputs are local files and nothing else: no http, no concat/subfile tricks reaching other files.
FILE_PROTOCOLS = "file"
STDERR_LINES = 3


class FfmpegError(StudioError):
    code = "render_failed"


def ffmpeg_exe() -> str:
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def moov_first(video_frames: int, fps: int, sample_rate: int | None) -> list[str]:
    """MP4/MOV muxer options that put the index (moov) before the media in one pass, so a browser plays the file while
    it downloads: room for the index is reserved up front. `+faststart` would instead write the file and then copy all
    of it again to move the index forward, which doubled the time of a stream-copy render. The room is an upper bound:
    at most 48 bytes of index per packet (size, time, composition offset, chunk offset and chunk run, key flag; a real
    index takes about 10), audio counted at its smallest frame (960 samples, Opus; AAC's is 1024)."""
    packets = video_frames + (video_frames * sample_rate // (fps * 960) + 1 if sample_rate else 0)
    return ["-moov_size", str(64 * 1024 + 48 * packets)]


def demuxer_for(path: Path | str) -> str:
    """The demuxer forced for `path`: ffmpeg never guesses a format from content a user controls."""
    found = media_type(suffix_of(path))
    if found is None:
        raise InvalidInputError(
            f"'{Path(path).name}' is not a media file the studio reads (see schemas/media-types.json); "
            "choose an image, video or audio take."
        )
    return found.demuxer


def input_args(path: Path | str) -> list[str]:
    """`-i path` as every ffmpeg run on user media must spell it."""
    return ["-protocol_whitelist", FILE_PROTOCOLS, "-f", demuxer_for(path), "-i", str(path)]


def guard_inputs(command: Sequence[str]) -> list[str]:
    """`command` with every file input (`-i path`, not a pipe) spelled as `input_args` does: for ffmpeg command
    lines a library builds itself (MoviePy's readers)."""
    guarded: list[str] = []
    args = list(command)
    index = 0
    while index < len(args):
        if args[index] == "-i" and index + 1 < len(args) and args[index + 1] not in ("-", "pipe:", "pipe:0"):
            guarded += input_args(args[index + 1])
            index += 2
            continue
        guarded.append(args[index])
        index += 1
    return guarded


def run_ffmpeg(args: Sequence[str], step: str, scope: ProcessScope) -> bytes:
    """Run ffmpeg with `args` (inputs spelled with `input_args`); its stdout, or FfmpegError naming `step`."""
    done = scope.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error", *args])
    if done.returncode != 0:
        said = " ".join(done.stderr.decode(errors="replace").strip().splitlines()[-STDERR_LINES:])
        raise FfmpegError(f"ffmpeg failed while {step}: {said or 'no message'}. Check the clip's file and retry.")
    return done.stdout


def run_ffmpeg_counting(
    args: Sequence[str], step: str, scope: ProcessScope, frames: int, progress: Callable[[float], None]
) -> None:
    """`run_ffmpeg` for a long encode of `frames` frames: `progress` gets its fraction done (0-1) as it goes, from
    ffmpeg's own -progress report."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error", "-nostats", "-progress", "pipe:1", *args]
    # stderr to a file, not a pipe: nothing reads it until the end, and a full pipe would stall ffmpeg.
    with tempfile.TemporaryFile() as said, scope.started(command, stdout=subprocess.PIPE, stderr=said) as encoder:
        assert encoder.stdout is not None
        for line in encoder.stdout:
            if line.startswith(b"frame="):
                progress(min(1.0, int(line.split(b"=", 1)[1] or 0) / max(frames, 1)))
        returncode = encoder.wait()
        said.seek(0)
        message = " ".join(said.read().decode(errors="replace").strip().splitlines()[-STDERR_LINES:])
    scope.check()
    if returncode != 0:
        raise FfmpegError(f"ffmpeg failed while {step}: {message or 'no message'}. Check the clip's file and retry.")
