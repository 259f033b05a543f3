"""The path for everything but plain cuts: one ffmpeg filter graph (conform, transitions, titles, sound) in one run.

Each shot is conformed to the sequence's rate (`fps`: duplicate/drop; `framerate`: blend), cut to its frames and
scaled to the first shot's size; runs of cuts are concatenated and each transition is an `xfade` (dissolve: fade,
fade to black: fadeblack, wipe: wipeleft) over the frames the timeline gives it. Titles are MoviePy's own drawing
(server.assembly.titles) laid over their frames. Sound is placed, levelled and mixed sample-accurately, then
padded or cut to the picture's exact length. Every input goes through `input_args` (file protocol, forced demuxer).
"""

from __future__ import annotations

from pathlib import Path

from schemas.models.sequence import ConformMode, TransitionKind
from server.assembly.plan import Progress, RenderPlan, Shot, sound_format
from server.assembly.titles import title_png
from server.media.ffmpeg import input_args, moov_first, run_ffmpeg_counting
from server.media.probe import MediaInfo
from server.media.processes import ProcessScope

XFADE = {
    TransitionKind.dissolve: "fade",
    TransitionKind.fade_to_black: "fadeblack",
    TransitionKind.wipe: "wipeleft",
}


def _seconds(frames: float, fps: int) -> str:
    return f"{frames / fps:.6f}"


def _shot_video(index: int, shot: Shot, plan: RenderPlan, size: tuple[int, int]) -> str:
    fps = plan.fps
    retime = f"fps={fps}"
    if shot.source_fps is not None and plan.conform is ConformMode.blend:
        retime = f"framerate=fps={fps}"
    # A conformed clip may come out a frame short of the count the timeline rounded to: hold its last frame.
    hold = f",tpad=stop_mode=clone:stop={shot.frames},trim=end_frame={shot.frames}" if shot.source_fps else ""
    return (
        f"[{index}:v:0]{retime},trim=start_frame={shot.start}:end_frame={shot.start + shot.frames},"
        f"setpts=PTS-STARTPTS{hold},scale={size[0]}:{size[1]},setsar=1,format=yuv420p[v{index}]"
    )


def _picture(plan: RenderPlan, chains: list[str]) -> str:
    """Joins the shots' [vN] into one stream: runs of cuts concatenated, transitions as xfade; its label."""
    fps = plan.fps
    joined, length = "", 0  # the stream so far and its frames
    run: list[str] = []  # the shots cut onto it, waiting to be joined
    steps = 0

    def label() -> str:
        nonlocal steps
        steps += 1
        return f"p{steps}"

    def flush() -> None:
        nonlocal joined, run
        parts = ([joined] if joined else []) + run
        if len(parts) > 1:
            out = label()
            chains.append(f"{''.join(f'[{p}]' for p in parts)}concat=n={len(parts)}:v=1:a=0[{out}]")
            joined = out
        elif parts:
            joined = parts[0]
        run = []

    for index, shot in enumerate(plan.shots):
        if not shot.transition_in:
            run.append(f"v{index}")
            length += shot.frames
            continue
        flush()
        out = label()
        chains.append(
            f"[{joined}][v{index}]xfade=transition={XFADE[shot.transition]}:"
            f"duration={_seconds(shot.transition_in, fps)}:offset={_seconds(length - shot.transition_in, fps)}"
            f"[{out}]"
        )
        joined, length = out, length + shot.frames - shot.transition_in
    flush()
    return joined


def _sound(plan: RenderPlan, media: list[MediaInfo], first_music: int, chains: list[str]) -> str | None:
    """Every shot's own sound and every music track placed on the timeline, levelled and mixed; its label."""
    fps = plan.fps
    placed: list[str] = []
    at = 0
    for index, (shot, info) in enumerate(zip(plan.shots, media, strict=True)):
        at -= shot.transition_in
        if info.audio is not None:
            first = shot.start - shot.audio_offset
            skip = max(0, -first)  # an offset before the clip's start: silence, then the sound
            if shot.frames > skip:
                chains.append(
                    f"[{index}:a:0]atrim=start={_seconds(first + skip, fps)}:end={_seconds(first + shot.frames, fps)},"
                    f"asetpts=PTS-STARTPTS,volume={shot.volume:g},"
                    f"adelay=delays={(at + skip) * 1000 / fps:.3f}:all=1[a{index}]"
                )
                placed.append(f"a{index}")
        at += shot.frames
    for number, track in enumerate(plan.music):
        skip, delay = max(0, -track.offset), max(0, track.offset)
        chains.append(
            f"[{first_music + number}:a:0]atrim=start={_seconds(skip, fps)},asetpts=PTS-STARTPTS,"
            f"volume={track.volume:g},adelay=delays={delay * 1000 / fps:.3f}:all=1[m{number}]"
        )
        placed.append(f"m{number}")
    if not placed:
        return None
    total = _seconds(plan.total_frames, fps)
    mix = f"amix=inputs={len(placed)}:normalize=0:duration=longest," if len(placed) > 1 else ""
    chains.append(f"{''.join(f'[{p}]' for p in placed)}{mix}apad=whole_dur={total},atrim=end={total}[sound]")
    return "sound"


def render_filter_graph(
    plan: RenderPlan, media: list[MediaInfo], work: Path, out: Path, progress: Progress, scope: ProcessScope
) -> None:
    first = media[0].video
    assert first is not None
    size = (first.width, first.height)
    inputs: list[str] = []
    chains: list[str] = []
    for index, shot in enumerate(plan.shots):
        inputs += input_args(shot.path)
        chains.append(_shot_video(index, shot, plan, size))
    picture = _picture(plan, chains)
    for track in plan.music:
        inputs += input_args(track.path)
    title_inputs = len(plan.shots) + len(plan.music)
    for number, card in enumerate(plan.titles):
        image = work / f"title{number:03d}.png"
        x, y = title_png(card, size, image)
        inputs += input_args(image)
        shown = f"between(t,{_seconds(card.start, plan.fps)},{_seconds(card.start + card.frames - 0.5, plan.fps)})"
        chains.append(f"[{picture}][{title_inputs + number}:v:0]overlay=x={x}:y={y}:enable='{shown}'[t{number}]")
        picture = f"t{number}"
    sound = _sound(plan, media, len(plan.shots), chains)
    audio_args: list[str] = []
    rate: int | None = None
    if sound is not None:
        rate, channels = sound_format(media)
        audio_args = ["-map", f"[{sound}]", "-c:a", "aac", "-ar", str(rate), "-ac", str(channels)]
    progress(5)
    run_ffmpeg_counting(
        [*inputs, "-filter_complex", ";".join(chains), "-map", f"[{picture}]", *audio_args,
         "-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p", "-r", str(plan.fps),
         "-frames:v", str(plan.total_frames), *moov_first(plan.total_frames, plan.fps, rate), str(out)],
        "rendering the sequence's filter graph",
        scope,
        plan.total_frames,
        lambda done: progress(5 + 90 * done),
    )  # fmt: skip
