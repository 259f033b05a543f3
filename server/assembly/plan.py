"""What to render, read back from an OpenTimelineIO timeline (the timeline, not the graph, is the blueprint)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from schemas.models.sequence import ConformMode, TitlePosition, TransitionKind
from server.assembly.timeline import CLIP_AUDIO_TRACK, STUDIO_KEY, TITLE_GENERATOR, TITLE_TRACK, VIDEO_TRACK
from server.errors import InvalidInputError
from server.media.probe import MediaInfo
from server.projects.paths import existing_file

Progress = Callable[[float], None]  # a render's 0-100


@dataclass(frozen=True)
class Shot:
    """One clip of the cut: `frames` from `start` of `path` (frames that a transition shares included), counted at
    the sequence's rate on the clip as conformed to it."""

    path: Path
    start: int
    frames: int
    transition_in: int  # frames overlapping the previous shot
    audio_offset: int  # frames the clip's own sound is delayed by (negative: early)
    transition: TransitionKind = TransitionKind.cut  # how it comes in over the previous shot
    source_fps: Fraction | None = None  # its own rate, when it is not the sequence's
    volume: float = 1.0


@dataclass(frozen=True)
class TitleCard:
    text: str
    start: int
    frames: int
    position: TitlePosition


@dataclass(frozen=True)
class Music:
    """An extra audio track: from `offset` frames (negative: that much of its head skipped), at `volume`."""

    path: Path
    offset: int = 0
    volume: float = 1.0


@dataclass(frozen=True)
class RenderPlan:
    fps: int
    total_frames: int
    shots: tuple[Shot, ...]
    titles: tuple[TitleCard, ...]
    music: tuple[Music, ...]
    conform: ConformMode = ConformMode.duplicate_drop

    @property
    def cuts_only(self) -> bool:
        """Plain cuts of same-rate clips with their own sound as it is: what the stream-copy path can render."""
        return (
            not self.titles
            and not self.music
            and all(
                s.transition_in == 0 and s.audio_offset == 0 and s.volume == 1.0 and s.source_fps in (None, self.fps)
                for s in self.shots
            )
        )


def sound_format(media: list[MediaInfo]) -> tuple[int, int]:
    """The output's sample rate (the first clip with sound's; 48 kHz for music alone) and channels (the most any
    clip has; stereo for music alone)."""
    rated = [m.audio for m in media if m.audio is not None]
    return (rated[0].sample_rate if rated else 48000), max((a.channels for a in rated), default=2)


def _frames(time: otio.opentime.RationalTime, fps: int) -> int:
    return round(float(time.rescaled_to(fps).value))


def _track(timeline: otio.schema.Timeline, name: str) -> otio.schema.Track | None:
    return next((t for t in timeline.tracks if t.name == name), None)


def render_plan(timeline: otio.schema.Timeline, repo_root: Path) -> RenderPlan:
    fps = int(timeline.metadata.get(STUDIO_KEY, {}).get("fps", 24))
    video = _track(timeline, VIDEO_TRACK)
    if video is None or not len(video):
        raise InvalidInputError("The timeline has no V1 video track with clips; add clips to the sequence.")
    shots: list[Shot] = []
    items = list(video)
    for index, item in enumerate(items):
        if not isinstance(item, otio.schema.Clip):
            continue
        before = items[index - 1] if index > 0 else None
        after = items[index + 1] if index + 1 < len(items) else None
        head = _frames(before.in_offset, fps) if isinstance(before, otio.schema.Transition) else 0
        tail = _frames(after.out_offset, fps) if isinstance(after, otio.schema.Transition) else 0
        overlap = (
            _frames(before.in_offset + before.out_offset, fps) if isinstance(before, otio.schema.Transition) else 0
        )
        kind = TransitionKind.cut
        if isinstance(before, otio.schema.Transition):
            kind = TransitionKind(before.metadata.get(STUDIO_KEY, {}).get("kind", TransitionKind.dissolve.value))
        studio = item.metadata.get(STUDIO_KEY, {})
        source_fps = Fraction(str(studio["source_fps"])) if studio.get("source_fps") else None
        source = item.source_range
        shots.append(
            Shot(
                path=existing_file(repo_root, str(item.media_reference.target_url)),
                start=_frames(source.start_time, fps) - head,
                frames=_frames(source.duration, fps) + head + tail,
                transition_in=overlap,
                audio_offset=int(studio.get("audio_offset", 0)),
                transition=kind,
                source_fps=None if source_fps == fps else source_fps,
                volume=float(studio.get("volume", 1.0)),
            )
        )
    titles = []
    title_track = _track(timeline, TITLE_TRACK) or otio.schema.Track()
    for clip in title_track.find_clips():
        reference = clip.media_reference
        if isinstance(reference, otio.schema.GeneratorReference) and reference.generator_kind == TITLE_GENERATOR:
            at = title_track.range_of_child(clip)
            titles.append(
                TitleCard(
                    str(reference.parameters["text"]),
                    _frames(at.start_time, fps),
                    _frames(at.duration, fps),
                    TitlePosition(str(reference.parameters.get("position", "lower_third"))),
                )
            )
    music = tuple(
        Music(
            existing_file(repo_root, str(clip.media_reference.target_url)),
            int(clip.metadata.get(STUDIO_KEY, {}).get("offset", 0)),
            float(clip.metadata.get(STUDIO_KEY, {}).get("volume", 1.0)),
        )
        for track in timeline.tracks
        if track.kind == otio.schema.TrackKind.Audio and track.name != CLIP_AUDIO_TRACK
        for clip in track.find_clips()
    )
    conform = ConformMode(timeline.metadata.get(STUDIO_KEY, {}).get("conform", ConformMode.duplicate_drop.value))
    return RenderPlan(fps, _frames(video.duration(), fps), tuple(shots), tuple(titles), music, conform)
