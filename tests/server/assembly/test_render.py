"""Rendering timelines: exact frame counts, the right take at sampled frames, sound kept, clean decodes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from server.assembly.fast_cut import pieces
from server.assembly.plan import Shot, render_plan
from server.assembly.render import RenderPath, render
from server.assembly.sequence import read_sequence
from server.assembly.timeline import build_timeline
from server.media.ffmpeg import ffmpeg_exe
from server.media.probe import probe
from tests.server.assembly.media import (
    SIZE,
    TakeRepo,
    decode_errors,
    frame_at,
    loud_span,
    mean_colour,
    near,
    sequence_graph,
    take_repo,
)

Takes = tuple[TakeRepo, list[str]]


# Everything but plain cuts: the filter graph, and MoviePy (the reference it is held to).
COMPOSITING = pytest.mark.parametrize("renderer", [RenderPath.FILTER_GRAPH, RenderPath.COMPOSITE])


def _render(takes: Takes, out: Path, renderer: RenderPath | None = None, **data: object) -> tuple[RenderPath, int]:
    repo, paths = takes
    timeline = build_timeline(read_sequence(sequence_graph(paths, **data), "seq", repo.repo), repo.root)
    plan = render_plan(timeline, repo.root)
    reported: list[float] = []
    path = render(plan, out, reported.append, path=renderer)
    assert reported[-1] == 100 and reported == sorted(reported)
    return path, plan.total_frames


def _check_file(out: Path, frames: int) -> None:
    info = probe(out)
    assert info.frames == frames
    assert info.audio is not None and (info.audio.sample_rate, info.audio.channels) == (48000, 2)
    assert decode_errors(out) == ""
    assert out.read_bytes()[4:8] == b"ftyp" and out.read_bytes().find(b"moov") < out.read_bytes().find(b"mdat")


def test_cut_only_is_stream_copied_with_every_frame_from_its_take(takes: Takes, out_dir: Path) -> None:
    out = out_dir / "cut.mp4"
    path, frames = _render(takes, out)
    assert (path, frames) == (RenderPath.FAST_CUT, 106)
    _check_file(out, 106)
    for index, colour in [(0, "red"), (29, "red"), (30, "green"), (69, "green"), (70, "blue"), (105, "blue")]:
        assert near(mean_colour(out, index), colour), (index, colour, mean_colour(out, index))


def test_frame_accurate_trims_off_keyframes_reencode_only_partial_gops(takes: Takes, out_dir: Path) -> None:
    out = out_dir / "trim.mp4"
    timeline = [
        {"node_id": "shot-0", "trim_in": 5, "trim_out": 3},
        {"node_id": "shot-1", "trim_in": 13, "trim_out": 7},
        {"node_id": "shot-2", "trim_in": 1},
    ]
    path, frames = _render(takes, out, timeline=timeline)
    assert (path, frames) == (RenderPath.FAST_CUT, 22 + 20 + 35)
    _check_file(out, 77)
    for index, colour in [(0, "red"), (21, "red"), (22, "green"), (41, "green"), (42, "blue"), (76, "blue")]:
        assert near(mean_colour(out, index), colour), (index, colour, mean_colour(out, index))


def test_pieces_copy_whole_gops_and_encode_the_rest() -> None:
    shot = Shot(Path("x.mp4"), start=5, frames=22, transition_in=0, audio_offset=0)
    assert pieces(shot, (0, 12, 24), 30) == [("encode", 5, 12), ("copy", 12, 24), ("encode", 24, 27)]
    whole = Shot(Path("x.mp4"), start=0, frames=30, transition_in=0, audio_offset=0)
    assert pieces(whole, (0, 12, 24), 30) == [("copy", 0, 30)]
    inside = Shot(Path("x.mp4"), start=13, frames=5, transition_in=0, audio_offset=0)
    assert pieces(inside, (0, 12, 24), 30) == [("encode", 13, 18)]


@COMPOSITING
def test_a_dissolve_blends_the_two_takes_over_its_frames(takes: Takes, out_dir: Path, renderer: RenderPath) -> None:
    out = out_dir / "dissolve.mp4"
    path, frames = _render(takes, out, renderer, transitions=[{"after_clip": 0, "kind": "dissolve", "frames": 12}])
    assert (path, frames) == (renderer, 106 - 12)
    _check_file(out, 94)
    assert near(mean_colour(out, 10), "red")
    red, green, _ = mean_colour(out, 24)  # the middle of the dissolve (frames 18-29)
    assert 90 < red < 170 and 40 < green < 90
    assert near(mean_colour(out, 40), "green")
    assert near(mean_colour(out, 93), "blue")


@COMPOSITING
def test_a_title_is_drawn_over_its_frames_only(takes: Takes, out_dir: Path, renderer: RenderPath) -> None:
    out = out_dir / "title.mp4"
    title = {"text": "IIII", "start_frame": 40, "frames": 10, "position": "center"}
    path, frames = _render(takes, out, renderer, titles=[title])
    assert (path, frames) == (renderer, 106)
    _check_file(out, 106)
    # Green has no red: red pixels are the white letters (and their anti-aliased edges).
    lettered = [int((frame_at(out, index)[:, :, 0] > 150).sum()) for index in (39, 40, 45, 49, 50)]
    assert lettered[0] == 0 and lettered[-1] == 0
    assert all(count > 10 for count in lettered[1:-1])


@COMPOSITING
@pytest.mark.parametrize("offset", [6, -6])
def test_an_audio_offset_keeps_the_frame_count_and_the_sound_format(
    takes: Takes, out_dir: Path, offset: int, renderer: RenderPath
) -> None:
    out = out_dir / "offset.mp4"
    timeline = [{"node_id": "shot-0", "audio_offset": offset}, {"node_id": "shot-1"}]
    path, frames = _render(takes, out, renderer, timeline=timeline)
    assert (path, frames) == (renderer, 70)
    _check_file(out, 70)


@COMPOSITING
def test_a_clip_at_volume_zero_is_silent_and_the_next_is_heard_from_its_first_frame(
    takes: Takes, out_dir: Path, renderer: RenderPath
) -> None:
    out = out_dir / "volume.mp4"
    timeline = [{"node_id": "shot-0", "volume": 0}, {"node_id": "shot-1", "volume": 1.5}]
    path, frames = _render(takes, out, renderer, timeline=timeline)
    assert (path, frames) == (renderer, 70)
    start, end = loud_span(out)
    assert abs(start - 30 / 24) <= 1 / 24 and abs(end - 70 / 24) <= 1 / 24, (start, end)


@COMPOSITING
def test_music_on_the_audio_input_is_mixed_under_the_whole_cut(
    takes: Takes, out_dir: Path, renderer: RenderPath
) -> None:
    repo, paths = takes
    music = repo.root / "03_Renders/SCENE_01/SHOT_900/SHOT-900_v01_take01.wav"
    music.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "sine=f=660:r=48000:d=9", "-ac", "2", str(music)],
        check=True,
    )
    graph = sequence_graph(paths[:2])
    graph["nodes"].append(
        {
            "id": "music",
            "type": "AudioNode",
            "position": {"x": 0, "y": 0},
            "data": {"active_take": str(music.relative_to(repo.root))},
        }
    )
    graph["edges"].append(
        {"id": "em", "source": "music", "sourceHandle": "audio", "target": "seq", "targetHandle": "audio"}
    )
    timeline = build_timeline(read_sequence(graph, "seq", repo.repo), repo.root)
    assert [t.name for t in timeline.tracks] == ["V1", "A1", "A2"]
    plan = render_plan(timeline, repo.root)
    out = out_dir / "music.mp4"
    assert render(plan, out, path=renderer) is renderer
    _check_file(out, 70)


def _frames_rgb(path: Path) -> np.ndarray:
    done = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    )  # fmt: skip
    return np.frombuffer(done.stdout, dtype=np.uint8).reshape(-1, SIZE[1], SIZE[0], 3).astype(np.float64)


def test_the_filter_graph_matches_moviepy_frame_by_frame(tmp_path: Path) -> None:
    """The fast path against the PRD's renderer on moving pictures: a 12 fps take conformed, each of the three
    transitions (dissolve, fade to black, wipe) and a title. The paths differ in colour handling: MoviePy composites
    in RGB, so its frames go 4:2:0 -> RGB -> 4:2:0, which on this 64x48 test card of saturated edges costs about
    30 dB on every frame, plain cuts included. xfade's fade to black mixes towards Y = 0, below limited-range black,
    so its middle frames are a little darker than MoviePy's true black (about 27 dB on two frames; full-range frames
    in the graph would close that but cost four times the memory). Every frame must stay above 26 dB: a title shown
    one frame too long scored 18 dB on that frame, and a transition a frame off or a dropped frame breaks it
    likewise."""
    repo = take_repo(tmp_path / "project")
    paths = [
        repo.add_take(10, "pattern", 36),
        repo.add_take(20, "pattern", 30, fps=12),
        repo.add_take(30, "pattern", 30),
        repo.add_take(40, "pattern", 30),
    ]
    data = {
        "transitions": [
            {"after_clip": 0, "kind": "dissolve", "frames": 10},
            {"after_clip": 1, "kind": "fade_to_black", "frames": 10},
            {"after_clip": 2, "kind": "wipe", "frames": 10},
        ],
        "titles": [{"text": "PSNR", "start_frame": 20, "frames": 12, "position": "center"}],
    }
    timeline = build_timeline(read_sequence(sequence_graph(paths, **data), "seq", repo.repo), repo.root)
    plan = render_plan(timeline, repo.root)
    fast, reference = tmp_path / "fast.mp4", tmp_path / "moviepy.mp4"
    assert render(plan, fast, path=RenderPath.FILTER_GRAPH) is RenderPath.FILTER_GRAPH
    assert render(plan, reference, path=RenderPath.COMPOSITE) is RenderPath.COMPOSITE
    a, b = _frames_rgb(fast), _frames_rgb(reference)
    assert a.shape == b.shape and a.shape[0] == plan.total_frames == 36 + 60 + 30 + 30 - 3 * 10
    mse = ((a - b) ** 2).reshape(a.shape[0], -1).mean(axis=1)
    psnr = 10 * np.log10(255**2 / np.maximum(mse, 1e-9))
    assert psnr.min() > 26, [(i, round(float(v), 1)) for i, v in enumerate(psnr) if v <= 26]
    # The fade to black (frames 76-85, the pictures' mean level about 64) goes through black on both paths.
    darkest = [float(frames[76:86].mean(axis=(1, 2, 3)).min()) for frames in (a, b)]
    assert all(level < 5 for level in darkest), darkest
