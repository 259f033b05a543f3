"""Tiny test media made with ffmpeg (each clip one flat colour, so a sampled frame says which take it came from),
and a project-like git repository holding them as takes."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from server.media.ffmpeg import ffmpeg_exe
from server.projects.git import GitRepo, studio_author
from server.takes.naming import ShotSlot
from server.takes.store import commit_take
from tests.support.factories import take_fields

FPS = 24
SIZE = (64, 48)
AUTHOR = studio_author("test")
COLOURS = {
    "red": (255, 0, 0),
    "green": (0, 128, 0),
    "blue": (0, 0, 255),
    "white": (255, 255, 255),
    "yellow": (255, 255, 0),
}


def make_clip(
    path: Path, colour: str, frames: int, *, gop: int = 12, audio: tuple[int, int] | None = (48000, 2), fps: int = FPS
) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    seconds = frames / fps
    # "pattern": ffmpeg's moving test card, for comparing renders on pictures with detail and motion.
    picture = "testsrc2=" if colour == "pattern" else f"color=c={colour}:"
    args = ["-f", "lavfi", "-i", f"{picture}s={SIZE[0]}x{SIZE[1]}:r={fps}:d={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=f=440:r={audio[0]}:d={seconds}", "-ac", str(audio[1]), "-c:a", "aac"]
    subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-y",
            *args,
            "-frames:v",
            str(frames),
            "-c:v",
            "libx264",
            "-g",
            str(gop),
            "-keyint_min",
            str(gop),
            "-sc_threshold",
            "0",
            "-bf",
            "2",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path


def frame_at(path: Path, index: int, fps: int = FPS) -> np.ndarray:
    """The decoded RGB frame `index` (by frame number, not by seeking)."""
    done = subprocess.run(
        [
            ffmpeg_exe(),
            "-v",
            "error",
            "-i",
            str(path),
            "-vf",
            f"select=eq(n\\,{index})",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
    )
    return np.frombuffer(done.stdout, dtype=np.uint8).reshape(SIZE[1], SIZE[0], 3)


def mean_colour(path: Path, index: int) -> tuple[int, int, int]:
    mean = frame_at(path, index).reshape(-1, 3).mean(axis=0)
    return (int(mean[0]), int(mean[1]), int(mean[2]))


def near(colour: tuple[int, int, int], name: str, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, COLOURS[name], strict=True))


def decode_errors(path: Path) -> str:
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, check=False
    )
    return done.stderr.decode(errors="replace")


@dataclass
class TakeRepo:
    repo: GitRepo

    @property
    def root(self) -> Path:
        return self.repo.root

    def add_take(self, shot: int, colour: str, frames: int, **options: Any) -> str:
        """Commit a take of SHOT-<shot> as a job does (sidecar with its sha256 and probe); its repository path."""
        made = make_clip(self.root.parent / "made" / f"{shot}-{colour}-{frames}.mp4", colour, frames, **options)
        slot = ShotSlot("SCENE_01", f"SHOT-{shot:03d}", 1)
        take = commit_take(self.repo, slot, made, take_fields(f"{shot}-{colour}-{frames}-{options}"), AUTHOR)
        return take.path


def take_repo(root: Path) -> TakeRepo:
    root.mkdir(parents=True, exist_ok=True)
    repo = GitRepo(root)
    repo.run("init", "-q")
    return TakeRepo(repo)


def sequence_graph(takes: list[str], **sequence_data: Any) -> dict[str, Any]:
    """Shot nodes with the given active takes, all connected to one Sequence node `seq`."""
    nodes: list[dict[str, Any]] = [
        {
            "id": f"shot-{i}",
            "type": "ShotNode",
            "position": {"x": 0, "y": 0},
            "data": {"shot_id": f"SHOT-{(i + 1) * 10:03d}", "active_take": take},
        }
        for i, take in enumerate(takes)
    ]
    nodes.append({"id": "seq", "type": "SequenceNode", "position": {"x": 0, "y": 0}, "data": dict(sequence_data)})
    edges = [
        {"id": f"e{i}", "source": f"shot-{i}", "sourceHandle": "output", "target": "seq", "targetHandle": "clips"}
        for i in range(len(takes))
    ]
    return {"schema_version": 1, "nodes": nodes, "edges": edges}


def loud_span(path: Path, sample_rate: int = 48000) -> tuple[float, float]:
    """First and last time (s) the decoded sound is above 5 % of full scale (the test tone peaks near 9 %)."""
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-map", "0:a:0", "-ac", "1", "-ar", str(sample_rate),
         "-f", "s16le", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    samples = np.abs(np.frombuffer(done.stdout, dtype=np.int16))
    loud = np.flatnonzero(samples > 1638)
    return loud[0] / sample_rate, loud[-1] / sample_rate
