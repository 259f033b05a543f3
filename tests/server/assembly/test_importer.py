"""An edit made in an NLE (.edl or .otio) read back onto the Sequence: order and trims, clips matched to takes."""

from __future__ import annotations

import opentimelineio as otio
import pytest

from server.assembly.exports import edl_text
from server.assembly.importer import ImportFormat, UnmatchedClipsError, imported_sequence, read_timeline
from server.assembly.sequence import read_sequence, take_ref
from server.assembly.timeline import build_timeline
from tests.server.assembly.media import TakeRepo, sequence_graph

Takes = tuple[TakeRepo, list[str]]


def _exported(takes: Takes, **data: object) -> otio.schema.Timeline:
    repo, paths = takes
    return build_timeline(read_sequence(sequence_graph(paths, **data), "seq", repo.repo), repo.root)


def _refs(takes: Takes) -> list:
    repo, paths = takes
    return [take_ref(repo.repo, f"shot-{i}", p) for i, p in enumerate(paths)]


def test_an_edl_with_clips_reordered_and_retrimmed_updates_order_and_trims(takes: Takes) -> None:
    repo, _ = takes
    # What an editor does in the NLE: the blue shot moves first and is trimmed to source frames 6-29.
    edited = _exported(takes)
    video = edited.tracks[0]
    red, green, blue = (video[0].clone(), video[1].clone(), video[2].clone())
    blue.source_range = otio.opentime.TimeRange(otio.opentime.RationalTime(6, 24), otio.opentime.RationalTime(24, 24))
    video[:] = [blue, red, green]
    timeline = read_timeline(edl_text(edited), ImportFormat.EDL, 24)
    edit = imported_sequence(timeline, _refs(takes), repo.root, 24, [{"node_id": "shot-0", "audio_offset": 2}])
    clips, transitions = edit.matched, edit.transitions
    assert [c.entry for c in clips] == [
        {"node_id": "shot-2", "trim_in": 6, "trim_out": 6, "audio_offset": 0},
        {"node_id": "shot-0", "trim_in": 0, "trim_out": 0, "audio_offset": 2},
        {"node_id": "shot-1", "trim_in": 0, "trim_out": 0, "audio_offset": 0},
    ]
    assert transitions == []
    assert {c.matched_by for c in clips} == {"clip name"}


def test_an_otio_file_matches_by_metadata_and_keeps_dissolves_and_offsets(takes: Takes) -> None:
    repo, _ = takes
    timeline = _exported(
        takes,
        timeline=[{"node_id": "shot-0", "trim_in": 2, "audio_offset": 3}, {"node_id": "shot-1", "trim_out": 4}],
        transitions=[{"after_clip": 0, "kind": "dissolve", "frames": 6}],
    )
    for clip in timeline.find_clips():
        clip.name = "renamed in the editor"
    text = otio.adapters.write_to_string(timeline, "otio_json")
    edit = imported_sequence(read_timeline(text, ImportFormat.OTIO, 24), _refs(takes), repo.root, 24, [])
    clips, transitions = edit.matched, edit.transitions
    assert [c.entry for c in clips] == [
        {"node_id": "shot-0", "trim_in": 2, "trim_out": 0, "audio_offset": 3, "volume": 1.0},
        {"node_id": "shot-1", "trim_in": 0, "trim_out": 4, "audio_offset": 0, "volume": 1.0},
    ]
    assert transitions == [{"after_clip": 0, "kind": "dissolve", "frames": 6}]
    assert clips[0].matched_by == "metadata take_path"


def test_clips_matching_no_take_are_all_named_and_nothing_is_applied(takes: Takes) -> None:
    repo, _ = takes
    text = edl_text(_exported(takes)).replace("SHOT-020_v01_take01", "B-ROLL_07").replace("020V1T01", "BROLL07")
    edit = imported_sequence(read_timeline(text, ImportFormat.EDL, 24), _refs(takes), repo.root, 24, [])
    assert [(u.index, u.name, u.reel) for u in edit.unmatched] == [(1, "B-ROLL_07", "BROLL07")]
    assert [c.entry["node_id"] for c in edit.matched] == ["shot-0", "shot-2"]
    with pytest.raises(UnmatchedClipsError, match=r"1 clip\(s\) match no take.*'B-ROLL_07' \(reel BROLL07"):
        edit.require_all_matched()


def test_a_clip_is_matched_by_reel_when_its_name_is_gone(takes: Takes) -> None:
    repo, _ = takes
    text = edl_text(_exported(takes))
    text = "\n".join(line for line in text.splitlines() if not line.startswith("* FROM CLIP")) + "\n"
    clips = imported_sequence(read_timeline(text, ImportFormat.EDL, 24), _refs(takes), repo.root, 24, []).matched
    assert [c.entry["node_id"] for c in clips] == ["shot-0", "shot-1", "shot-2"]
    assert {c.matched_by for c in clips} == {"reel name"}
