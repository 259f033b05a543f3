"""Small input media for the spandrel pipelines' tests: a textured image, and a video with a tone (ffmpeg)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
from PIL import Image

from server.media.ffmpeg import ffmpeg_exe


def textured_image(path: Path, size: tuple[int, int] = (40, 28)) -> Path:
    """Smooth gradients plus a seeded pattern: detail a network and a resampler both have to carry."""
    width, height = size
    y, x = np.mgrid[0:height, 0:width]
    noise = np.random.default_rng(3).integers(0, 60, (height, width, 3))
    pixels = np.stack([x * 255 / width, y * 255 / height, (x + y) * 127 / (width + height)], axis=-1) * 0.7 + noise
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(path)
    return path


def video_with_audio(path: Path, frames: int = 6, fps: int = 12, size: str = "32x24") -> Path:
    """An H.264 MP4 of `frames` test-pattern frames at `fps`, with an AAC sine tone as long as the video."""
    seconds = frames / fps
    command = [
        ffmpeg_exe(), "-v", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={size}:rate={fps}:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    return path


def rgb_frames(path: Path, size: tuple[int, int]) -> np.ndarray:
    raw = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True,
        capture_output=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(-1, size[1], size[0], 3).astype(np.float64)
