"""Video in and out frame by frame through ffmpeg (in the base image and on the host): fps, frame count, audio kept.
Shared by the insightface stack's video pipelines (faceswap-reactor, talking-head-wav2lip)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: Fraction
    frames: int
    has_audio: bool


def probe(path: Path, what: str) -> VideoInfo:
    """The video's geometry, rate, frame count and whether it has sound; a sentence for a file that is none."""
    if path.stat().st_size == 0:
        raise SystemExit(f"The {what} is empty (0 bytes). Connect a video file that has frames.")
    completed = subprocess.run(
        ["ffprobe", "-v", "error", "-count_packets", "-show_entries",
         "stream=codec_type,width,height,avg_frame_rate,r_frame_rate,nb_read_packets", "-of", "json", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    streams = json.loads(completed.stdout or "{}").get("streams", []) if completed.returncode == 0 else []
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    if video is None or not int(video.get("nb_read_packets") or 0):
        raise SystemExit(
            f"The {what} has no readable video frames ({completed.stderr.strip()[-200:] or 'no stream'}). "
            "Connect an MP4, MOV, MKV or WebM video."
        )
    rate = video.get("avg_frame_rate") or video.get("r_frame_rate") or "0/1"
    fps = Fraction(rate) if rate != "0/0" else Fraction(video["r_frame_rate"])
    return VideoInfo(
        width=int(video["width"]),
        height=int(video["height"]),
        fps=fps,
        frames=int(video["nb_read_packets"]),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
    )


def read_frames(path: Path, info: VideoInfo) -> Iterator[np.ndarray]:
    """Each frame as a BGR uint8 array (insightface's layout), decoded one at a time."""
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-i", str(path),
               "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "bgr24", "-"]  # fmt: skip
    size = info.width * info.height * 3
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        while chunk := process.stdout.read(size):
            if len(chunk) < size:
                break
            yield np.frombuffer(chunk, np.uint8).reshape(info.height, info.width, 3)
        error = process.stderr.read().decode(errors="replace")
        if process.wait() != 0:
            raise SystemExit(f"Decoding {path.name} failed: {error[-400:]}")


class FrameWriter:
    """An H.264 MP4 at the source's rate with the source's audio, fed BGR frames one at a time."""

    def __init__(self, target: Path, source: Path, info: VideoInfo) -> None:
        audio = (
            ["-i", str(source), "-map", "0:v", "-map", "1:a:0", "-c:a", "aac", "-b:a", "192k"] if info.has_audio else []
        )
        command = [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
            "-f", "rawvideo", "-pix_fmt", "bgr24", "-s", f"{info.width}x{info.height}", "-r", str(info.fps), "-i", "-",
            *audio, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "17", "-threads", "1",
            "-fflags", "+bitexact", "-flags:v", "+bitexact", "-movflags", "+faststart", str(target),
        ]  # fmt: skip
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)

    def write(self, frame: np.ndarray) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(np.ascontiguousarray(frame).tobytes())

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        error = self.process.stderr.read().decode(errors="replace")
        if self.process.wait() != 0:
            raise SystemExit(f"Encoding the video failed: {error[-400:]}")
