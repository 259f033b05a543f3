"""The fast path for plain cuts: stream-copy whole GOPs, re-encode only the partial GOPs at frame-accurate cuts.

Each shot becomes up to three MPEG-TS pieces (re-encoded head up to the first keyframe in the shot, copied
keyframe-to-keyframe middle, re-encoded tail after the last keyframe). MPEG-TS keeps the parameter sets in
band, so pieces from two encoders decode as one stream; the concat demuxer joins them without re-encoding.
(Raw elementary streams were tried first: they carry no timestamps, and B-frames then come out misordered.)
Sound is always re-encoded once: cheap, and sample-accurate at every cut.

Takes are read only through their forced demuxer (server.media.ffmpeg): the concat demuxer lists nothing but bare
names in the work folder (our pieces, or links to whole takes, each held to its demuxer by `format_whitelist`).
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from server.assembly.plan import Progress, RenderPlan, Shot
from server.media.ffmpeg import FILE_PROTOCOLS, demuxer_for, input_args, moov_first, run_ffmpeg
from server.media.probe import MediaInfo
from server.media.processes import ProcessScope
from server.takes.media import take_media

COPYABLE = {"h264": "h264_mp4toannexb", "hevc": "hevc_mp4toannexb"}
ENCODER = {"h264": "libx264", "hevc": "libx265"}
TINY_PIECE_BYTES = 64 * 1024
# The partial GOPs at the cuts are most of what a trimmed render costs (up to a GOP per cut). x264's superfast keeps
# what the copied GOPs have (High profile: CABAC, 8x8 transforms, B-frames), so the joined stream stays one profile,
# at about two thirds of veryfast's time; CRF 18 is the quality every other render path encodes at.
FRAGMENT_QUALITY = ["-preset", "superfast", "-crf", "18"]


def can_fast_cut(plan: RenderPlan, media: list[MediaInfo]) -> bool:
    first = media[0]
    if not plan.cuts_only or first.video is None or first.video.codec not in COPYABLE:
        return False
    same_audio = all(m.audio == first.audio for m in media) or all(m.audio is None for m in media)
    rates_agree = all(
        m.audio is None or first.audio is None or m.audio.sample_rate == first.audio.sample_rate for m in media
    )
    return all(m.same_video_format(first) for m in media) and same_audio and rates_agree


def pieces(shot: Shot, keyframes: tuple[int, ...], media_frames: int) -> list[tuple[str, int, int]]:
    """[(kind, first, end)] covering [start, start + frames): kind "copy" for whole GOPs, "encode" otherwise."""
    start, end = shot.start, shot.start + shot.frames
    keys = [*keyframes, media_frames]  # the file's end closes the last GOP
    first_key = keys[bisect.bisect_left(keys, start)]
    last_key = keys[bisect.bisect_right(keys, end) - 1]
    if first_key >= last_key:
        return [("encode", start, end)]
    found = [("encode", start, first_key)] if start < first_key else []
    found.append(("copy", first_key, last_key))
    if last_key < end:
        found.append(("encode", last_key, end))
    return found


def _copy(info: MediaInfo, first: int, end: int, fps: int, out: Path, scope: ProcessScope) -> None:
    assert info.video is not None
    # Input seeking lands on the keyframe at or before the time; a quarter frame past `first` avoids rounding
    # landing on the GOP before. Closed GOPs (x264's default) make `end - first` packets exactly those frames.
    run_ffmpeg(
        [
            "-ss",
            f"{(first + 0.25) / fps:.6f}",
            *input_args(info.path),
            "-map",
            "0:v:0",
            "-c",
            "copy",
            "-frames:v",
            str(end - first),
            "-bsf:v",
            COPYABLE[info.video.codec],
            "-f",
            "mpegts",
            str(out),
        ],
        f"copying frames {first}-{end - 1} of {info.path.name}",
        scope,
    )


def _encode(info: MediaInfo, first: int, end: int, fps: int, out: Path, scope: ProcessScope) -> None:
    assert info.video is not None
    seek = max((k for k in info.keyframes if k <= first), default=0)
    # Decode from the keyframe at or before `first`, trim by frame index. Seeking as _copy does (a quarter frame past
    # the keyframe, no accurate seek) lands on that keyframe; half a frame before it landed on the GOP before, which
    # decoded a whole GOP more for every tail and was a third of a trimmed render's time.
    run_ffmpeg(
        [
            "-noaccurate_seek",
            "-ss",
            f"{(seek + 0.25) / fps:.6f}",
            *input_args(info.path),
            "-map",
            "0:v:0",
            "-vf",
            f"trim=start_frame={first - seek}:end_frame={end - seek},setpts=PTS-STARTPTS",
            "-c:v",
            ENCODER[info.video.codec],
            "-pix_fmt",
            info.video.pix_fmt,
            "-r",
            str(fps),
            *FRAGMENT_QUALITY,
            "-f",
            "mpegts",
            str(out),
        ],
        f"re-encoding frames {first}-{end - 1} of {info.path.name}",
        scope,
    )


def _pad_if_tiny(piece: Path, frames: int, fps: int, scope: ProcessScope) -> None:
    """A piece of a few dozen TS packets is taken for MPEG-PS by format probing: pad it with null packets
    (a constant mux rate above the piece's own bitrate, so the padding never delays a packet)."""
    size = piece.stat().st_size
    if size >= TINY_PIECE_BYTES:
        return
    rate = max(2_000_000, 4 * size * 8 * fps // max(frames, 1))
    padded = piece.with_suffix(".padded.ts")
    run_ffmpeg(
        ["-protocol_whitelist", FILE_PROTOCOLS, "-f", "mpegts", "-i", str(piece),
         "-c", "copy", "-f", "mpegts", "-muxrate", str(rate), str(padded)],
        "padding a piece",
        scope,
    )  # fmt: skip
    padded.replace(piece)


def _audio(plan: RenderPlan, media: list[MediaInfo], out: Path, scope: ProcessScope) -> None:
    audio = media[0].audio
    assert audio is not None
    inputs: list[str] = []
    chains = []
    for index, shot in enumerate(plan.shots):
        inputs += input_args(shot.path)
        chains.append(
            f"[{index}:a:0]atrim=start={shot.start / plan.fps:.6f}:end={(shot.start + shot.frames) / plan.fps:.6f},"
            f"asetpts=PTS-STARTPTS,apad=whole_dur={shot.frames / plan.fps:.6f}[a{index}]"
        )
    joined = "".join(f"[a{i}]" for i in range(len(plan.shots)))
    graph = ";".join(chains) + f";{joined}concat=n={len(plan.shots)}:v=0:a=1[a]"
    run_ffmpeg(
        [
            *inputs,
            "-filter_complex",
            graph,
            "-map",
            "[a]",
            "-c:a",
            "aac",
            "-ar",
            str(audio.sample_rate),
            "-ac",
            str(audio.channels),
            str(out),
        ],
        "joining the clips' sound",
        scope,
    )


def _whole_clips(plan: RenderPlan, media: list[MediaInfo], out: Path, work: Path, scope: ProcessScope) -> None:
    """Every shot is a whole file: the files' packets, sound included, go out as they are. The listing names links
    we make in the work folder, each file held to its own demuxer and to the file protocol; the concat demuxer
    takes per-file options only outside its safe mode, which therefore sees only this listing's bare names."""
    lines = ["ffconcat version 1.0"]
    for index, shot in enumerate(plan.shots):
        link = work / f"clip{index:04d}.{shot.path.suffix.lstrip('.').lower()}"
        link.symlink_to(shot.path)
        lines += [
            f"file '{link.name}'",
            f"option format_whitelist {demuxer_for(shot.path)}",
            f"option protocol_whitelist {FILE_PROTOCOLS}",
        ]
    listing = work / "clips.ffconcat"
    listing.write_text("\n".join(lines) + "\n")
    sound = ["-map", "0:a:0"] if media[0].audio is not None else []
    run_ffmpeg(
        ["-protocol_whitelist", FILE_PROTOCOLS, "-f", "concat", "-safe", "0", "-i", str(listing), "-map", "0:v:0",
         *sound, "-c", "copy", *_moov_first(plan, media), str(out)],
        "joining the clips",
        scope,
    )  # fmt: skip


def render_fast_cut(
    plan: RenderPlan, media: list[MediaInfo], work: Path, out: Path, progress: Progress, scope: ProcessScope
) -> None:
    if all(shot.start == 0 and shot.frames == info.frames for shot, info in zip(plan.shots, media, strict=True)):
        _whole_clips(plan, media, out, work, scope)
        return
    jobs: list[tuple[Callable[..., None], tuple[object, ...]]] = []
    listing = []
    for index, (shot, info) in enumerate(zip(plan.shots, media, strict=True)):
        for number, (kind, first, end) in enumerate(pieces(shot, info.keyframes, info.frames)):
            piece = work / f"shot{index:04d}_{number}.ts"
            jobs.append((_piece, (kind, info, first, end, plan.fps, piece, scope)))
            listing.append(f"file '{piece.name}'")
    sound = work / "sound.m4a"
    has_sound = media[0].audio is not None
    if has_sound:
        jobs.append((_audio, (plan, media, sound, scope)))
    # Pieces are independent ffmpeg runs, most of them short: running several at once hides process start-up.
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        running = [pool.submit(job, *job_args) for job, job_args in jobs]
        for done, future in enumerate(as_completed(running), start=1):
            future.result()
            progress(95 * done / len(running))
    (work / "pieces.txt").write_text("\n".join(listing) + "\n")
    args = ["-protocol_whitelist", FILE_PROTOCOLS, "-f", "concat", "-i", str(work / "pieces.txt")]
    if has_sound:
        args += [*input_args(sound), "-map", "0:v:0", "-map", "1:a:0"]
    run_ffmpeg(
        [*args, "-c", "copy", "-frames:v", str(plan.total_frames), *_moov_first(plan, media), str(out)],
        "joining the pieces",
        scope,
    )


def _moov_first(plan: RenderPlan, media: list[MediaInfo]) -> list[str]:
    return moov_first(plan.total_frames, plan.fps, media[0].audio.sample_rate if media[0].audio else None)


def _piece(kind: str, info: MediaInfo, first: int, end: int, fps: int, piece: Path, scope: ProcessScope) -> None:
    (_copy if kind == "copy" else _encode)(info, first, end, fps, piece, scope)
    _pad_if_tiny(piece, end - first, fps, scope)


def media_of(plan: RenderPlan, scope: ProcessScope) -> list[MediaInfo]:
    """Each shot's media: from its take's sidecar, else each distinct file probed once, several at a time."""
    paths = list(dict.fromkeys(shot.path for shot in plan.shots))
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        found = dict(zip(paths, pool.map(lambda path: take_media(path, scope), paths), strict=True))
    return [found[shot.path] for shot in plan.shots]
