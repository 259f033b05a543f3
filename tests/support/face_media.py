"""Media the tiny face models see faces in (tests/support/tiny_faceswap.py): one face is a bright square filling one
stride-32 cell of the detector's 640 px image, so a 640 px picture's face is a 32 px square at a multiple of 32."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from server.media.ffmpeg import ffmpeg_exe

SIZE = 640
CELL = 32
BACKGROUND = 40  # dark grey: no cell of it is bright enough to be a face


def face_picture(cells: list[tuple[int, int]], size: int = SIZE) -> np.ndarray:
    """An RGB picture with a face on each (column, row) cell of the 20 x 20 grid."""
    cell = size * CELL // SIZE
    pixels = np.full((size, size, 3), BACKGROUND, np.uint8)
    for column, row in cells:
        pixels[row * cell : (row + 1) * cell, column * cell : (column + 1) * cell] = (250, 220, 200)
    return pixels


def write_png(path: Path, pixels: np.ndarray) -> Path:
    Image.fromarray(pixels).save(path)
    return path


def write_video(path: Path, frames: list[np.ndarray], fps: int, audio: bool) -> Path:
    """An H.264 MP4 of these frames at `fps`, with a 440 Hz tone as long as the video when `audio`."""
    height, width = frames[0].shape[:2]
    tone = ["-f", "lavfi", "-i", f"sine=frequency=440:duration={len(frames) / fps}"] if audio else []
    command = [
        ffmpeg_exe(), "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
        "-r", str(fps), "-i", "-", *tone, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "10",
        *(["-c:a", "aac", "-shortest"] if audio else []), str(path),
    ]  # fmt: skip
    subprocess.run(command, input=b"".join(frame.tobytes() for frame in frames), check=True)
    return path


def write_voice(path: Path, seconds: float, silent: bool = False) -> Path:
    """A 16 kHz WAV `seconds` long for the talking-head models: a 220 Hz tone whose loudness changes four times a
    second (a voice's rhythm), or silence."""
    loud = "sine=frequency=220:sample_rate=16000,volume='0.2+0.8*gte(sin(2*PI*4*t),0)':eval=frame"
    source = "anullsrc=r=16000:cl=mono" if silent else loud
    command = [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", source, "-t", str(seconds), "-c:a", "pcm_s16le",
               str(path)]  # fmt: skip
    subprocess.run(command, check=True)
    return path
