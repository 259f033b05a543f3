"""EDL, OTIO and FCP XML written to 04_Project_Files/EDLs and committed; the EDL survives a round trip."""

from __future__ import annotations

import opentimelineio as otio

from server.assembly.exports import EDL_DIR, edl_text, reel_name, write_exports
from server.assembly.sequence import read_sequence
from server.assembly.timeline import VIDEO_TRACK, build_timeline
from server.projects.git import studio_author
from tests.server.assembly.media import TakeRepo, sequence_graph

Takes = tuple[TakeRepo, list[str]]


def _timeline(takes: Takes, **data: object) -> otio.schema.Timeline:
    repo, paths = takes
    return build_timeline(read_sequence(sequence_graph(paths, **data), "seq", repo.repo), repo.root)


def _in_out(timeline: otio.schema.Timeline) -> list[tuple[int, int]]:
    video = next(t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video)
    return [
        (round(c.source_range.start_time.value), round(c.source_range.end_time_exclusive().value))
        for c in video.find_clips()
    ]


def test_otio_to_cmx3600_and_back_keeps_every_clip_and_frame(takes: Takes) -> None:
    timeline = _timeline(
        takes,
        timeline=[
            {"node_id": "shot-1", "trim_in": 3, "trim_out": 11},
            {"node_id": "shot-0", "trim_in": 7},
            {"node_id": "shot-2", "trim_out": 5},
        ],
    )
    back = otio.adapters.read_from_string(edl_text(timeline), "cmx_3600", rate=24)
    assert _in_out(back) == _in_out(timeline) == [(3, 29), (7, 30), (0, 31)]
    assert [c.name for c in back.find_clips()] == ["SHOT-020_v01_take01", "SHOT-010_v01_take01", "SHOT-030_v01_take01"]


def test_edl_reels_have_at_most_eight_characters_and_a_from_clip_comment(takes: Takes) -> None:
    text = edl_text(_timeline(takes))
    events = [line for line in text.splitlines() if line[:3].isdigit()]
    assert [line.split()[1] for line in events] == ["010V1T01", "020V1T01", "030V1T01"]
    assert text.count("* FROM CLIP NAME:") == 3
    assert "* FROM CLIP: 03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take01.mp4" in text


def test_reel_names_fit_eight_characters() -> None:
    assert reel_name("SHOT-010_v01_take03") == "010V1T03"
    assert reel_name("SHOT-1230_v12_take103") == "1230V12T"
    assert reel_name("some odd name.mov") == "someoddn"


def test_all_three_files_are_written_and_committed(takes: Takes) -> None:
    repo, _ = takes
    done = write_exports(repo.repo, _timeline(takes), "seq", studio_author("ed"))
    assert done.warnings == ()
    assert (done.edl_path, done.otio_path, done.xml_path) == (
        f"{EDL_DIR}/seq.edl",
        f"{EDL_DIR}/seq.otio",
        f"{EDL_DIR}/seq.xml",
    )
    committed = repo.repo.run("show", "--name-only", "--format=", done.commit or "HEAD").split()
    assert sorted(committed) == sorted([done.edl_path, done.otio_path, done.xml_path])
    reread = otio.adapters.read_from_file(str(repo.root / done.otio_path))
    assert _in_out(reread) == [(0, 30), (0, 40), (0, 36)]
    xml = otio.adapters.read_from_file(str(repo.root / done.xml_path))
    assert len(list(xml.find_clips())) >= 3


def test_a_timeline_an_edl_cannot_hold_warns_and_still_exports_otio_and_xml(takes: Takes) -> None:
    repo, _ = takes
    timeline = _timeline(takes, titles=[{"text": "The End", "start_frame": 0, "frames": 12}])
    done = write_exports(repo.repo, timeline, "titled", studio_author("ed"))
    assert any("T1" in w and "one video track" in w for w in done.warnings)
    assert (repo.root / done.otio_path).is_file() and (repo.root / done.xml_path).is_file()
    reread = otio.adapters.read_from_file(str(repo.root / done.otio_path))
    assert [t.name for t in reread.tracks if t.kind == otio.schema.TrackKind.Video] == [VIDEO_TRACK, "T1"]
