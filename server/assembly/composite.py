"""The MoviePy path (the PRD's renderer): dissolves, fades to black, wipes, titles, audio offsets and levels, music.

It is the reference the filter-graph path is compared with frame by frame (tests, benchmarks.assembly).

MoviePy builds the picture and the sound; the frames are pulled one by one at exact frame times
(i / fps) and piped to our own ffmpeg, so the output has exactly the timeline's frame count whatever
float rounding MoviePy's own writer would do with the summed durations. Every ffmpeg process, MoviePy's
included (moviepy_fix), runs in the job's ProcessScope: a cancel kills them and stops the frame loop.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path
from typing import Any

from moviepy import AudioFileClip, CompositeAudioClip, CompositeVideoClip, VideoFileClip, afx

from schemas.models.sequence import ConformMode
from server.assembly import moviepy_fix
from server.assembly.moviepy_transitions import incoming, outgoing
from server.assembly.plan import Progress, RenderPlan, TitleCard, sound_format
from server.assembly.titles import title_text
from server.media.ffmpeg import FfmpegError, ffmpeg_exe, input_args, moov_first
from server.media.probe import MediaInfo
from server.media.processes import ProcessScope, in_scope

moviepy_fix.install()


def _title(card: TitleCard, size: tuple[int, int], fps: int) -> Any:
    text, at = title_text(card, size)
    # Half a frame short, as the clips: MoviePy shows a clip at its end time too, which drew the title one frame long.
    return text.with_duration((card.frames - 0.5) / fps).with_start(card.start / fps).with_position(at)


def _layers(plan: RenderPlan, opened: list[Any]) -> tuple[list[Any], list[Any]]:
    fps = plan.fps
    video: list[Any] = []
    sound: list[Any] = []
    at = 0  # timeline frame where the shot starts
    for index, shot in enumerate(plan.shots):
        source = VideoFileClip(str(shot.path))
        opened.append(source)
        at -= shot.transition_in
        # Half a frame short of the end: MoviePy treats a clip's end as inclusive and would read one frame past it.
        # A clip of another rate is read at times i / fps: MoviePy shows the source frame at or before each, which is
        # the duplicate/drop conform.
        piece = source.subclipped(shot.start / fps, (shot.start + shot.frames - 0.5) / fps).with_start(at / fps)
        if shot.transition_in:
            piece = incoming(piece, shot.transition, shot.transition_in, fps)
        following = plan.shots[index + 1] if index + 1 < len(plan.shots) else None
        if following is not None and following.transition_in:
            piece = outgoing(
                piece, following.transition, shot.frames - following.transition_in, following.transition_in, fps
            )
        video.append(piece.without_audio())
        if source.audio is not None:
            first = shot.start - shot.audio_offset
            skip = max(0, -first)  # an offset past the clip's start: silence, then the sound
            audio = source.audio.subclipped(
                (first + skip) / fps, min((first + shot.frames) / fps, source.audio.duration)
            )
            if shot.volume != 1.0:
                audio = audio.with_effects([afx.MultiplyVolume(shot.volume)])
            sound.append(audio.with_start((at + skip) / fps))
        at += shot.frames
    for track in plan.music:
        music = AudioFileClip(str(track.path))
        opened.append(music)
        skip_s, delay_s = max(0, -track.offset) / fps, max(0, track.offset) / fps
        end_s = min(music.duration, skip_s + plan.total_frames / fps - delay_s)
        if end_s > skip_s:
            placed = music.subclipped(skip_s, end_s).with_start(delay_s)
            if track.volume != 1.0:
                placed = placed.with_effects([afx.MultiplyVolume(track.volume)])
            sound.append(placed)
    return video, sound


def unsupported(plan: RenderPlan) -> str | None:
    """Why MoviePy cannot render `plan` as the filter graph would (None: it can)."""
    if plan.conform is ConformMode.blend and any(s.source_fps is not None for s in plan.shots):
        return "this path conforms by duplicating and dropping frames, not by blending"
    return None


def render_composite(
    plan: RenderPlan, media: list[MediaInfo], work: Path, out: Path, progress: Progress, scope: ProcessScope
) -> None:
    first = media[0].video
    assert first is not None
    size = (first.width, first.height)
    fps = plan.fps
    opened: list[Any] = []
    with in_scope(scope):  # MoviePy's own ffmpeg processes join the job's scope
        try:
            video, sound = _layers(plan, opened)
            titles = [_title(card, size, fps) for card in plan.titles]
            picture = CompositeVideoClip(video + titles, size=size).with_duration(plan.total_frames / fps)
            audio_args: list[str] = []
            rate: int | None = None
            if sound:
                rate, channels = sound_format(media)
                wav = work / "sound.wav"
                mix = CompositeAudioClip(sound).with_duration(plan.total_frames / fps)
                mix.write_audiofile(str(wav), fps=rate, nbytes=2, codec="pcm_s16le", logger=None)
                scope.check()
                audio_args = [*input_args(wav), "-map", "0:v:0", "-map", "1:a:0", "-c:a", "aac",
                              "-ar", str(rate), "-ac", str(channels)]  # fmt: skip
            mux = moov_first(plan.total_frames, fps, rate)
            _pipe_frames(picture, plan, [*audio_args, *mux], out, progress, scope)
        finally:
            for clip in opened:
                clip.close()


def _pipe_frames(
    picture: Any, plan: RenderPlan, output_args: list[str], out: Path, progress: Progress, scope: ProcessScope
) -> None:
    """`output_args`: the sound's input and encoding, and the muxer's options."""
    width, height = picture.size
    command = [
        ffmpeg_exe(),
        "-hide_banner",
        "-nostdin",
        "-y",
        "-v",
        "error",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgb24",
        "-s",
        f"{width}x{height}",
        "-framerate",
        str(plan.fps),
        "-i",
        "-",
        *output_args,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "18",
        "-pix_fmt",
        "yuv420p",
        "-frames:v",
        str(plan.total_frames),
        str(out),
    ]
    with scope.started(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE) as encoder:
        assert encoder.stdin is not None and encoder.stderr is not None
        try:
            for index in range(plan.total_frames):
                scope.check()  # a cancel ends the loop at the next frame
                frame = picture.get_frame(index / plan.fps)
                encoder.stdin.write(frame[:, :, :3].astype("uint8").tobytes())
                if index % max(1, plan.total_frames // 50) == 0:
                    progress(5 + 90 * index / plan.total_frames)
        except BrokenPipeError:
            pass
        finally:
            with contextlib.suppress(BrokenPipeError):  # the encoder died (or was killed) with frames unread
                encoder.stdin.close()
        with encoder.stderr:
            said = encoder.stderr.read().decode(errors="replace")
        returncode = encoder.wait()
    scope.check()
    if returncode != 0:
        raise FfmpegError(
            f"ffmpeg failed while encoding the composited frames: {said.strip()[-300:]}. Retry the render."
        )
