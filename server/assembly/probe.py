"""What a media file holds, read with imageio-ffmpeg's ffmpeg (no ffprobe is bundled): streams, frames, keyframes."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import imageio_ffmpeg

from server.errors import InvalidInputError

_VIDEO = re.compile(r"Stream #0:\d+.*?: Video: (?P<codec>\w+).*?, (?P<pix>\w+)(?:\(.*?\))?, (?P<w>\d+)x(?P<h>\d+)")
_FPS = re.compile(r", (?P<fps>[\d.]+(?:k)?) fps")
_AUDIO = re.compile(r"Stream #0:\d+.*?: Audio: (?P<codec>\w+).*?, (?P<rate>\d+) Hz, (?P<layout>[\w.()]+)")
_CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "7.1": 8}


def ffmpeg_exe() -> str:
    return str(imageio_ffmpeg.get_ffmpeg_exe())


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

    def same_video_format(self, other: MediaInfo) -> bool:
        return self.video is not None and self.video == other.video


def _header(path: Path) -> str:
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-i", str(path)], capture_output=True, check=False)
    return done.stderr.decode(errors="replace")


def _packets(path: Path) -> tuple[int, tuple[int, ...]]:
    """Frame count and keyframe indices from the video packets (framecrc marks non-key packets `F=0x0`)."""
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:v:0", "-c", "copy", "-f", "framecrc", "-"],
        capture_output=True,
        check=False,
    )
    rows = []
    for line in done.stdout.decode(errors="replace").splitlines():
        if line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        rows.append((int(fields[2]), not any(f.startswith("F=") for f in fields[6:])))
    rows.sort()
    return len(rows), tuple(i for i, (_, key) in enumerate(rows) if key)


def probe(path: Path) -> MediaInfo:
    if not path.is_file():
        raise InvalidInputError(f"The media file '{path.name}' is missing; restore it or choose another take.")
    header = _header(path)
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
    frames, keys = _packets(path) if video else (0, ())
    return MediaInfo(path, video, audio, frames, keys)
