"""Assembly render speed and memory, each path as a ratio against its plain-ffmpeg reference measured in the same run.

Run: .venv/bin/python -m benchmarks.assembly [--clips 20] [--seconds 5] [--size 1920x1080] [--memory-clips 5,10,20]

Clips: testsrc2 (a moving pattern, so the encoder has real work), each hue-shifted, H.264 (x264 veryfast,
keyframe every 2 s) + AAC 48 kHz stereo, 24 fps, each with a take sidecar holding its probe (as committed takes
have), so a render probes nothing. Cases, each run once (the clips are made first, untimed):
  cut-only      our render (stream copy)                     vs  ffmpeg -f concat -c copy            (target <= 1.3x)
  trims         our render, trim 7 in / 5 out per clip        vs  ffmpeg trim+concat, full re-encode   (target <= 0.6x)
  dissolves     our filter graph, 12-frame dissolves          vs  ffmpeg xfade/acrossfade re-encode    (target <= 1.2x)
  transitions   our filter graph, dissolve/fade/wipe + a title vs  the same xfade reference            (target <= 1.2x)
  moviepy       our MoviePy path (the reference renderer), dissolves, vs our filter graph
  memory        peak RSS (process + children) of the fast path and the filter graph per clip count
Each case is timed by the wall clock and by CPU time (user + system, ffmpeg's included): on a machine shared with
other work the wall clock measures the load as much as the render; CPU time does not.
Renders are built from RenderPlan directly (the OTIO compile step is milliseconds and not measured).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schemas.models.sequence import TitlePosition, TransitionKind
from server.assembly.plan import RenderPlan, Shot, TitleCard
from server.assembly.render import RenderPath, render
from server.media.ffmpeg import ffmpeg_exe
from server.media.probe import probe, probe_record

FPS = 24
X264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"]
AAC = ["-c:a", "aac", "-ar", "48000", "-ac", "2"]


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error", *args], check=True)


def make_clips(folder: Path, count: int, seconds: int, size: str) -> list[Path]:
    clips = []
    for index in range(count):
        path = folder / f"clip{index:02d}.mp4"
        ffmpeg(
            "-f", "lavfi", "-i", f"testsrc2=s={size}:r={FPS}:d={seconds},hue=h={index * 360 // count}",
            "-f", "lavfi", "-i", f"sine=f={220 + 20 * index}:r=48000:d={seconds}",
            *X264, "-g", str(2 * FPS), *AAC, "-ac", "2", "-shortest", str(path),
        )  # fmt: skip
        # What commit_take writes: the probe a render reads instead of running ffmpeg on each take.
        probed = probe_record(probe(path)).model_dump(mode="json")
        path.with_suffix(".json").write_text(json.dumps({"output": {"probe": probed}}))
        clips.append(path)
    return clips


def plan_for(
    clips: list[Path],
    seconds: int,
    trim: tuple[int, int] = (0, 0),
    dissolve: int = 0,
    kinds: tuple[TransitionKind, ...] = (TransitionKind.dissolve,),
    titles: tuple[TitleCard, ...] = (),
) -> RenderPlan:
    frames = seconds * FPS - trim[0] - trim[1]
    shots = tuple(
        Shot(
            p, trim[0], frames, dissolve if i else 0, 0, kinds[i % len(kinds)] if dissolve and i else TransitionKind.cut
        )
        for i, p in enumerate(clips)
    )
    return RenderPlan(FPS, len(clips) * frames - dissolve * (len(clips) - 1), shots, titles, ())


@dataclass(frozen=True)
class Took:
    wall_s: float
    cpu_s: float  # user + system of this process and every ffmpeg it ran: what a shared machine's load leaves alone


def _cpu_s() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(action: Any) -> Took:
    start, cpu = time.perf_counter(), _cpu_s()
    action()
    return Took(time.perf_counter() - start, _cpu_s() - cpu)


def ffmpeg_concat_copy(clips: list[Path], out: Path) -> None:
    listing = out.with_suffix(".txt")
    listing.write_text("".join(f"file '{p}'\n" for p in clips))
    ffmpeg("-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", str(out))


def ffmpeg_trim_reencode(clips: list[Path], out: Path, trim: tuple[int, int], seconds: int) -> None:
    end = seconds * FPS - trim[1]
    inputs = [arg for p in clips for arg in ("-i", str(p))]
    chains = [
        f"[{i}:v]trim=start_frame={trim[0]}:end_frame={end},setpts=PTS-STARTPTS[v{i}];"
        f"[{i}:a]atrim=start={trim[0] / FPS}:end={end / FPS},asetpts=PTS-STARTPTS[a{i}]"
        for i in range(len(clips))
    ]
    joined = "".join(f"[v{i}][a{i}]" for i in range(len(clips)))
    graph = ";".join(chains) + f";{joined}concat=n={len(clips)}:v=1:a=1[v][a]"
    ffmpeg(*inputs, "-filter_complex", graph, "-map", "[v]", "-map", "[a]", *X264, *AAC, str(out))


def ffmpeg_xfade(clips: list[Path], out: Path, dissolve: int, seconds: int) -> None:
    inputs = [arg for p in clips for arg in ("-i", str(p))]
    length = seconds - dissolve / FPS
    video, audio, steps = "[0:v]", "[0:a]", []
    for i in range(1, len(clips)):
        steps.append(
            f"{video}[{i}:v]xfade=transition=fade:duration={dissolve / FPS}:offset={i * length:.6f}[v{i}];"
            f"{audio}[{i}:a]acrossfade=d={dissolve / FPS}[a{i}]"
        )
        video, audio = f"[v{i}]", f"[a{i}]"
    ffmpeg(*inputs, "-filter_complex", ";".join(steps), "-map", video, "-map", audio, *X264, *AAC, str(out))


def child(kind: str, folder: Path, count: int, seconds: int) -> None:
    """One render in a fresh process, so its peak memory is its own."""
    clips = sorted(folder.glob("clip*.mp4"))[:count]
    plan = plan_for(clips, seconds, dissolve=12 if kind == "filter_graph" else 0)
    took = timed(lambda: render(plan, folder / f"mem-{kind}-{count}.mp4")).wall_s
    peak_kib = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    print(json.dumps({"seconds": took, "peak_mib": peak_kib / 1024}))


def peak(kind: str, folder: Path, count: int, seconds: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.assembly", "--child", kind, "--folder", str(folder),
         "--clips", str(count), "--seconds", str(seconds)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clips", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--memory-clips", default="5,10,20")
    parser.add_argument("--skip-moviepy", action="store_true")
    parser.add_argument("--child", choices=["fast", "filter_graph"])
    parser.add_argument("--folder", type=Path)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.folder, args.clips, args.seconds)
        return
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        made = time.perf_counter()
        clips = make_clips(folder, args.clips, args.seconds, args.size)
        print(f"{args.clips} clips x {args.seconds} s {args.size} {FPS} fps made in {time.perf_counter() - made:.1f} s")
        trim, dissolve = (7, 5), 12
        title = TitleCard("THE END", FPS, 2 * FPS, TitlePosition.lower_third)
        every_kind = (TransitionKind.dissolve, TransitionKind.fade_to_black, TransitionKind.wipe)
        rows = []
        ours = timed(lambda: render(plan_for(clips, args.seconds), folder / "cut.mp4"))
        theirs = timed(lambda: ffmpeg_concat_copy(clips, folder / "copy.mp4"))
        rows.append(("cut-only: ours / ffmpeg concat -c copy (<= 1.3)", ours, theirs))
        ours = timed(lambda: render(plan_for(clips, args.seconds, trim=trim), folder / "trim.mp4"))
        theirs = timed(lambda: ffmpeg_trim_reencode(clips, folder / "trim-ff.mp4", trim, args.seconds))
        rows.append(("trims at every cut: ours / ffmpeg full re-encode (<= 0.6)", ours, theirs))
        xfade = timed(lambda: ffmpeg_xfade(clips, folder / "xfade.mp4", dissolve, args.seconds))
        dissolves = plan_for(clips, args.seconds, dissolve=dissolve)
        graph = timed(lambda: render(dissolves, folder / "dissolve.mp4"))
        rows.append(("dissolves: filter graph / ffmpeg xfade filter_complex (<= 1.2)", graph, xfade))
        mixed = plan_for(clips, args.seconds, dissolve=dissolve, kinds=every_kind, titles=(title,))
        ours = timed(lambda: render(mixed, folder / "transitions.mp4"))
        rows.append(("dissolve/fade/wipe + title: filter graph / xfade (<= 1.2)", ours, xfade))
        if not args.skip_moviepy:
            slow = timed(lambda: render(dissolves, folder / "moviepy.mp4", path=RenderPath.COMPOSITE))
            rows.append(("dissolves: MoviePy path / our filter graph", slow, graph))
        print(f"{'':64s} {'wall clock':^28s} | {'CPU time (user + system)':^28s}")
        for label, a, b in rows:
            print(
                f"{label:64s} {a.wall_s:8.2f} s / {b.wall_s:8.2f} s = {a.wall_s / b.wall_s:5.2f}x | "
                f"{a.cpu_s:8.2f} s / {b.cpu_s:8.2f} s = {a.cpu_s / b.cpu_s:5.2f}x"
            )
        for count in [int(c) for c in args.memory_clips.split(",") if int(c) <= args.clips]:
            fast, graph_run = (
                peak("fast", folder, count, args.seconds),
                peak("filter_graph", folder, count, args.seconds),
            )
            print(
                f"peak memory, {count:2d} clips: fast path {fast['peak_mib']:7.1f} MiB ({fast['seconds']:.1f} s), "
                f"filter graph {graph_run['peak_mib']:7.1f} MiB ({graph_run['seconds']:.1f} s)"
            )


if __name__ == "__main__":
    main()
