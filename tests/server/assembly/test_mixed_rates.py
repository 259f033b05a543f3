"""Takes at 12, 16, 24, 25 and 30 fps in one sequence: conformed, never refused; exact frame count, sound in sync,
and all three exports valid (OTIO reads them back, the EDL parses with pycmx) whatever the sequence's rate."""

from __future__ import annotations

import io
from pathlib import Path

import opentimelineio as otio
import pycmx
import pytest

from server.assembly.exports import EdlRateError, edl_text, write_exports
from server.assembly.importer import ImportFormat, imported_sequence, read_timeline
from server.assembly.plan import render_plan
from server.assembly.render import RenderPath, render
from server.assembly.sequence import read_sequence
from server.assembly.timeline import build_timeline
from server.media.probe import probe
from server.projects.git import studio_author
from tests.server.assembly.media import (
    TakeRepo,
    decode_errors,
    frame_at,
    loud_span,
    mean_colour,
    near,
    sequence_graph,
    take_repo,
)

RATES = (12, 16, 24, 25, 30)
COLOURS = ("red", "green", "blue", "white", "yellow")
SAMPLE_RATE = 48000
CLIPS = (("red", 30), ("green", 40), ("blue", 36))  # colour and frames of each take the smart-render test trims


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[TakeRepo, list[str]]:
    """One second of each rate, each its own colour; only the 16 fps take (the second clip) has sound."""
    repo = take_repo(tmp_path_factory.mktemp("mixed") / "project")
    paths = [
        repo.add_take(10 * (i + 1), colour, rate, fps=rate, audio=(SAMPLE_RATE, 2) if rate == 16 else None)
        for i, (rate, colour) in enumerate(zip(RATES, COLOURS, strict=True))
    ]
    return repo, paths


def _timeline(mixed: tuple[TakeRepo, list[str]], **data: object) -> otio.schema.Timeline:
    repo, paths = mixed
    return build_timeline(read_sequence(sequence_graph(paths, **data), "seq", repo.repo), repo.root)


@pytest.mark.parametrize("conform", ["duplicate_drop", "blend"])
def test_five_rates_render_to_exact_frames_with_sound_in_sync(
    mixed: tuple[TakeRepo, list[str]], tmp_path: Path, conform: str
) -> None:
    repo, _ = mixed
    timeline = _timeline(mixed, conform=conform)
    plan = render_plan(timeline, repo.root)
    assert plan.total_frames == 5 * 24  # each take keeps its second
    out = tmp_path / "mixed.mp4"
    assert render(plan, out) is RenderPath.FILTER_GRAPH
    info = probe(out)
    assert info.frames == 120 and info.video is not None and info.video.fps == 24
    assert decode_errors(out) == ""
    for second, colour in enumerate(COLOURS):
        for frame in (second * 24 + 2, second * 24 + 21):  # inside each take, clear of blended edges
            assert near(mean_colour(out, frame), colour), (conform, frame, colour, mean_colour(out, frame))
    start, end = loud_span(out)
    one_frame = 1 / 24
    assert abs(start - 1.0) <= one_frame and abs(end - 2.0) <= one_frame, (start, end)


def test_every_transition_renders_between_takes_of_different_rates(
    mixed: tuple[TakeRepo, list[str]], tmp_path: Path
) -> None:
    repo, _ = mixed
    transitions = [
        {"after_clip": 0, "kind": "dissolve", "frames": 8},
        {"after_clip": 1, "kind": "fade_to_black", "frames": 8},
        {"after_clip": 2, "kind": "wipe", "frames": 8},
    ]
    plan = render_plan(_timeline(mixed, transitions=transitions), repo.root)
    assert plan.total_frames == 120 - 3 * 8
    out = tmp_path / "transitions.mp4"
    render(plan, out)
    assert probe(out).frames == 96
    # Each 8-frame transition ends 4 frames after its cut. Mid-dissolve (frames 16-23): red and green mixed;
    # mid fade to black (32-39): dark, where blue is bright once it is done.
    red, green, blue = mean_colour(out, 20)
    assert red > 60 and green > 30 and blue < 40, (red, green, blue)
    assert max(mean_colour(out, 36)) < 90 and max(mean_colour(out, 44)) > 200, mean_colour(out, 36)
    # Mid-wipe (blue to white, frames 48-55): one side is already white, the other still blue.
    frame = frame_at(out, 52).astype(int)
    sides = {near(tuple(frame[:, x].mean(axis=0).astype(int)), colour) for x in (2, -3) for colour in ("blue", "white")}
    left, right = frame[:, 2].mean(axis=0), frame[:, -3].mean(axis=0)
    assert True in sides and abs(left[0] - right[0]) > 150, (left, right)


@pytest.mark.parametrize(("fps", "timecode_rate"), [(24, 24), (25, 25), (30, 30), (12, 24), (16, 48)])
def test_all_three_exports_are_valid_at_every_rate(
    mixed: tuple[TakeRepo, list[str]], fps: int, timecode_rate: int
) -> None:
    repo, paths = mixed
    timeline = _timeline(mixed, fps=fps, timeline=[{"node_id": "shot-0", "trim_in": 1}, {"node_id": "shot-3"}])
    exported = write_exports(repo.repo, timeline, f"seq{fps}", studio_author("test"))
    assert exported.edl_path is not None and exported.warnings == ()
    otio_back = otio.adapters.read_from_file(str(repo.root / exported.otio_path))
    xml_back = otio.adapters.read_from_file(str(repo.root / exported.xml_path), "fcp_xml")
    for back in (otio_back, xml_back):
        clips = list(back.video_tracks()[0].find_clips())
        assert [round(c.duration().rescaled_to(fps).value) for c in clips] == [fps - 1, fps]
    edl = (repo.root / exported.edl_path).read_text()
    events = list(pycmx.parse_cmx3600(io.StringIO(edl)).events)
    assert len(events) == 2
    record_out = events[-1].edits[0].record_out
    # fps - 1 + fps sequence frames, each timecode_rate / fps timecode frames
    length = otio.opentime.RationalTime((2 * fps - 1) * timecode_rate // fps, timecode_rate)
    assert record_out == otio.opentime.to_timecode(length, timecode_rate)
    if fps != timecode_rate:
        assert f"* SEQUENCE RATE {fps} FPS: TIMECODE AT {timecode_rate} FPS" in edl
    # Read back as an edit of the same sequence: the same clips and trims, in the sequence's own frames.
    read = read_timeline(edl, ImportFormat.EDL, fps)
    takes = [read_sequence(sequence_graph(paths), "seq", repo.repo).clips[i].take for i in (0, 3)]
    matched = imported_sequence(read, takes, repo.root, fps, []).matched
    assert [(m.entry["node_id"], m.entry["trim_in"], m.entry["trim_out"]) for m in matched] == [
        ("shot-0", 1, 0),
        ("shot-3", 0, 0),
    ]


def test_a_rate_timecode_cannot_count_is_refused_by_sentence_for_the_edl_and_xml_and_the_otio_still_exports(
    mixed: tuple[TakeRepo, list[str]],
) -> None:
    repo, _ = mixed
    timeline = _timeline(mixed, fps=7)
    with pytest.raises(EdlRateError, match="SMPTE timecode has no 7 fps"):
        edl_text(timeline)
    exported = write_exports(repo.repo, timeline, "seq7", studio_author("test"))
    assert (exported.edl_path, exported.xml_path) == (None, None)
    assert [w.split(",")[0] for w in exported.warnings] == ["SMPTE timecode has no 7 fps"] * 2
    assert otio.adapters.read_from_file(str(repo.root / exported.otio_path)).duration().rate == 7


@pytest.mark.parametrize("rate", RATES)
def test_smart_render_trims_are_frame_exact_and_in_sync_at_every_rate(tmp_path: Path, rate: int) -> None:
    """Same-rate takes (a keyframe every 12 frames) trimmed off their keyframes at each rate: the stream-copy path
    re-encodes only the partial GOPs, and the cut keeps every frame where it belongs and the sound its length."""
    repo = take_repo(tmp_path / "project")
    paths = [repo.add_take(10 * (i + 1), colour, frames, fps=rate) for i, (colour, frames) in enumerate(CLIPS)]
    trims = [
        {"node_id": "shot-0", "trim_in": 5, "trim_out": 3},
        {"node_id": "shot-1", "trim_in": 13, "trim_out": 7},
        {"node_id": "shot-2", "trim_in": 1},
    ]
    graph = sequence_graph(paths, fps=rate, timeline=trims)
    plan = render_plan(build_timeline(read_sequence(graph, "seq", repo.repo), repo.root), repo.root)
    out = tmp_path / "trimmed.mp4"
    assert render(plan, out) is RenderPath.FAST_CUT
    info = probe(out)
    assert info.video is not None and (info.frames, info.video.fps) == (22 + 20 + 35, rate)
    assert decode_errors(out) == ""
    for index, colour in [(0, "red"), (21, "red"), (22, "green"), (41, "green"), (42, "blue"), (76, "blue")]:
        assert near(mean_colour(out, index), colour), (rate, index, colour, mean_colour(out, index))
    first, last = loud_span(out, SAMPLE_RATE)
    assert first < 1 / rate and abs(last - 77 / rate) < 1 / rate, (first, last, 77 / rate)
