"""What a media file holds, read with ffmpeg (imageio-ffmpeg bundles no ffprobe): streams, frames, keyframes; and
whether a file decodes as the media its extension claims."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from schemas.models.take_sidecar import AudioProbe, MediaProbe, VideoProbe
from server.errors import InvalidInputError
from server.media.ffmpeg import ffmpeg_exe, input_args
from server.media.processes import ProcessScope
from server.media.types import MediaKind

_VIDEO = re.compile(r"Stream #0:\d+.*?: Video: (?P<codec>\w+).*?, (?P<pix>\w+)(?:\(.*?\))?, (?P<w>\d+)x(?P<h>\d+)")
_FPS = re.compile(r", (?P<fps>[\d.]+(?:k)?) fps")
_AUDIO = re.compile(r"Stream #0:\d+.*?: Audio: (?P<codec>\w+).*?, (?P<rate>\d+) Hz, (?P<layout>[\w.()]+)")
_DURATION = re.compile(r"Duration: (?P<h>\d+):(?P<m>\d{2}):(?P<s>\d{2}(?:\.\d+)?)")
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "7.1": 8}
DECODE_TIMEOUT_S = 120
# The stream that must exist for the kind, and how much of it is decoded.
DECODED: dict[MediaKind, tuple[str, tuple[str, ...]]] = {
    MediaKind.image: ("0:v:0", ("-frames:v", "1")),
    MediaKind.video: ("0:v:0", ("-t", "1")),
    MediaKind.audio: ("0:a:0", ("-t", "1")),
}
_LOG_PREFIX = re.compile(r"^(\[[^\]]*\]\s*)+")


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: Fraction


@dataclass(frozen=True)
class AudioInfo:
    codec: str
    sample_rate: int
    channels: int


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    video: VideoInfo | None
    audio: AudioInfo | None
    frames: int  # video frames, counted from the packets (exact, no decode)
    keyframes: tuple[int, ...]  # display-order indices of the video keyframes
    duration_s: float = 0.0  # the container's duration (0: it states none); what an audio take's length is

    def same_video_format(self, other: MediaInfo) -> bool:
        return self.video is not None and self.video == other.video


def probe_record(info: MediaInfo) -> MediaProbe:
    """`info` as a take sidecar keeps it (schemas/take-sidecar $defs/MediaProbe)."""
    video = info.video
    return MediaProbe(
        duration_s=info.duration_s,
        frames=info.frames,
        keyframes=list(info.keyframes),
        video=None
        if video is None
        else VideoProbe(
            codec=video.codec,
            pix_fmt=video.pix_fmt,
            width=video.width,
            height=video.height,
            fps_num=video.fps.numerator,
            fps_den=video.fps.denominator,
        ),
        audio=None
        if info.audio is None
        else AudioProbe(codec=info.audio.codec, sample_rate=info.audio.sample_rate, channels=info.audio.channels),
    )


def info_from_record(path: Path, record: MediaProbe) -> MediaInfo:
    video = record.video
    return MediaInfo(
        path=path,
        video=None
        if video is None
        else VideoInfo(video.codec, video.pix_fmt, video.width, video.height, Fraction(video.fps_num, video.fps_den)),
        audio=None
        if record.audio is None
        else AudioInfo(record.audio.codec, record.audio.sample_rate, record.audio.channels),
        frames=record.frames,
        keyframes=tuple(record.keyframes),
        duration_s=record.duration_s,
    )


def _header(path: Path, scope: ProcessScope) -> str:
    # No output file: ffmpeg prints the streams and exits non-zero, which is expected here.
    return scope.run([ffmpeg_exe(), "-hide_banner", *input_args(path)]).stderr.decode(errors="replace")


def _packets(path: Path, scope: ProcessScope) -> tuple[int, tuple[int, ...]]:
    """Frame count and keyframe indices from the video packets (framecrc marks non-key packets `F=0x0`)."""
    done = scope.run(
        [ffmpeg_exe(), "-v", "error", *input_args(path), "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "-"]
    )
    rows = []
    for line in done.stdout.decode(errors="replace").splitlines():
        if line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        rows.append((int(fields[2]), not any(f.startswith("F=") for f in fields[6:])))
    rows.sort()
    return len(rows), tuple(i for i, (_, key) in enumerate(rows) if key)


def probe(path: Path, scope: ProcessScope | None = None) -> MediaInfo:
    scope = scope or ProcessScope()
    if not path.is_file():
        raise InvalidInputError(f"The media file '{path.name}' is missing; restore it or choose another take.")
    header = _header(path, scope)
    video = audio = None
    for line in header.splitlines():
        if (v := _VIDEO.search(line)) and video is None:
            fps = _FPS.search(line)
            rate = Fraction(fps["fps"]).limit_denominator(1001) if fps else Fraction(24)
            video = VideoInfo(v["codec"], v["pix"], int(v["w"]), int(v["h"]), rate)
        elif (a := _AUDIO.search(line)) and audio is None:
            layout = a["layout"].split("(")[0]
            audio = AudioInfo(a["codec"], int(a["rate"]), _CHANNELS.get(layout, 2))
    if video is None and audio is None:
        raise InvalidInputError(f"'{path.name}' holds no audio or video ffmpeg can read; re-render or re-import it.")
    frames, keys = _packets(path, scope) if video else (0, ())
    stated = _DURATION.search(header)
    duration = int(stated["h"]) * 3600 + int(stated["m"]) * 60 + float(stated["s"]) if stated else 0.0
    return MediaInfo(path, video, audio, frames, keys, duration)


def decode_problem(path: Path, kind: MediaKind, scope: ProcessScope | None = None) -> str | None:
    """None when the start of `path` decodes as `kind` (its demuxer forced by its extension); otherwise
    ffmpeg's first error line."""
    stream, limit = DECODED[kind]
    command = [
        ffmpeg_exe(),
        "-nostdin",
        "-v",
        "error",
        "-xerror",  # stop at the first decoding error instead of concealing it
        *input_args(path),
        "-map",
        stream,
        *limit,
        # One checksum line per decoded frame: proof that something was decoded, not just opened.
        "-f",
        "framecrc",
        "-",
    ]
    try:
        done = (scope or ProcessScope()).run(command, timeout_s=DECODE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return f"decoding the first second took longer than {DECODE_TIMEOUT_S} s"
    errors = [line for line in done.stderr.decode(errors="replace").splitlines() if line.strip()]
    frames = [line for line in done.stdout.decode(errors="replace").splitlines() if line and not line.startswith("#")]
    if done.returncode == 0 and frames:
        return None
    if not errors:
        return "no frame could be decoded"
    if "matches no streams" in errors[0]:  # the -map above found nothing to decode
        return f"it has no {'audio' if kind is MediaKind.audio else 'video'} stream"
    # "[png @ 0x55…] Invalid PNG signature …": the bracketed source and address say nothing to a user.
    return (_LOG_PREFIX.sub("", errors[0].strip()) or errors[0].strip()).rstrip(".")
