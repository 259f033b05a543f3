"""A Sequence node compiled to an OpenTimelineIO timeline."""

from __future__ import annotations

import pytest

from server.assembly.sequence import read_sequence
from server.assembly.timeline import CLIP_AUDIO_TRACK, STUDIO_KEY, TITLE_TRACK, VIDEO_TRACK, build_timeline
from server.errors import InvalidInputError
from tests.server.assembly.media import TakeRepo, sequence_graph

Takes = tuple[TakeRepo, list[str]]


def _timeline(takes: Takes, **data: object):
    repo, paths = takes
    return build_timeline(read_sequence(sequence_graph(paths, **data), "seq", repo.repo), repo.root)


def test_clips_follow_the_timeline_with_trims_and_cite_their_takes(takes: Takes) -> None:
    repo, paths = takes
    timeline = _timeline(
        takes,
        timeline=[
            {"node_id": "shot-2", "trim_in": 4},
            {"node_id": "shot-0", "trim_in": 5, "trim_out": 3},
        ],
    )
    video = next(t for t in timeline.tracks if t.name == VIDEO_TRACK)
    clips = list(video.find_clips())
    assert [c.name for c in clips] == ["SHOT-030_v01_take01", "SHOT-010_v01_take01"]
    assert [(c.source_range.start_time.value, c.source_range.duration.value) for c in clips] == [(4, 32), (5, 22)]
    assert timeline.duration().value == 54
    studio = clips[0].metadata[STUDIO_KEY]
    assert studio["take_path"] == paths[2]
    assert studio["take_id"] == "SHOT-030_v01_take01"
    assert studio["commit"] == repo.repo.run("log", "-1", "--format=%H", "--", paths[2]).strip()
    assert len(studio["sha256"]) == 64
    assert [t.name for t in timeline.tracks] == [VIDEO_TRACK, CLIP_AUDIO_TRACK]


def test_a_dissolve_overlaps_the_cut_and_shortens_the_track(takes: Takes) -> None:
    timeline = _timeline(takes, transitions=[{"after_clip": 0, "kind": "dissolve", "frames": 9}])
    video = next(t for t in timeline.tracks if t.name == VIDEO_TRACK)
    transition = video[1]
    assert (transition.in_offset.value, transition.out_offset.value) == (4, 5)
    first, second = video[0], video[2]
    assert (first.source_range.start_time.value, first.source_range.duration.value) == (0, 25)
    assert (second.source_range.start_time.value, second.source_range.duration.value) == (4, 36)
    assert timeline.duration().value == 30 + 40 + 36 - 9


def test_titles_go_on_their_own_track_at_their_frames(takes: Takes) -> None:
    timeline = _timeline(takes, titles=[{"text": "Act One", "start_frame": 6, "frames": 10}])
    titles = next(t for t in timeline.tracks if t.name == TITLE_TRACK)
    clip = next(iter(titles.find_clips()))
    assert titles.range_of_child(clip).start_time.value == 6
    assert clip.media_reference.parameters["text"] == "Act One"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"timeline": [{"node_id": "shot-0", "trim_in": 20, "trim_out": 10}]}, "leave nothing"),
        ({"timeline": [{"node_id": "elsewhere"}]}, "not connected"),
        ({"transitions": [{"after_clip": 2, "kind": "dissolve"}]}, "no next clip"),
        ({"transitions": [{"after_clip": 0, "kind": "wipe", "frames": 60}]}, "60-frame wipe .* shorten it"),
        (
            {"transitions": [{"after_clip": 0, "kind": "wipe"}, {"after_clip": 0, "kind": "dissolve"}]},
            "two transitions",
        ),
    ],
)
def test_a_sequence_that_cannot_be_cut_is_refused_with_the_reason(takes: Takes, data: dict, words: str) -> None:
    with pytest.raises(InvalidInputError, match=words):
        _timeline(takes, **data)


def test_a_take_at_another_frame_rate_is_conformed_keeping_its_duration(takes: Takes) -> None:
    repo, paths = takes
    odd = repo.add_take(90, "white", 10, fps=30)  # 1/3 s: 8 frames at 24 fps
    slow = repo.add_take(91, "yellow", 6, fps=12)  # 1/2 s: 12 frames at 24 fps
    graph = sequence_graph(
        [paths[0], odd, slow],
        timeline=[{"node_id": "shot-0"}, {"node_id": "shot-1", "trim_in": 1}, {"node_id": "shot-2", "trim_out": 2}],
    )
    timeline = build_timeline(read_sequence(graph, "seq", repo.repo), repo.root)
    clips = list(timeline.tracks[0].find_clips())
    assert [c.media_reference.available_range.duration.value for c in clips] == [30, 8, 12]
    assert [(c.source_range.start_time.value, c.source_range.duration.value) for c in clips] == [
        (0, 30),
        (1, 7),
        (0, 10),
    ]
    assert [c.metadata["studio"]["source_fps"] for c in clips] == ["24", "30", "12"]
    assert timeline.duration().value == 47


def test_a_node_without_a_chosen_take_contributes_its_newest(takes: Takes) -> None:
    repo, paths = takes
    newer = repo.add_take(20, "white", 24)  # SHOT-020's second take, newer than the chosen green one
    graph = sequence_graph(paths)
    del graph["nodes"][1]["data"]["active_take"]
    assert read_sequence(graph, "seq", repo.repo).clips[1].take.path == newer
    graph["nodes"][1]["data"]["shot_id"] = "SHOT-077"  # a shot with no takes at all
    with pytest.raises(InvalidInputError, match="'shot-1' in the sequence has no take yet"):
        read_sequence(graph, "seq", repo.repo)
