"""A Sequence as an OpenTimelineIO timeline: V1 the cut, A1 the clips' own sound, T1 the titles, A2… extra audio.

Everything is at the sequence's rate. A clip of another rate is conformed to it (ARCHITECTURE §12): it keeps its
duration and counts `round(frames * fps / its fps)` frames, and trims count those frames; the clip's metadata keeps
its own rate and the conform mode, which the render applies.

Transitions follow OTIO's model: a transition overlaps the cut and uses media outside the clips' source
ranges, so a transition of N frames takes N//2 frames from the next clip's head and the rest from the
previous clip's tail, and the track is N frames shorter than the clips laid end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import opentimelineio as otio

from schemas.models.sequence import ConformMode, TransitionKind
from server.assembly.sequence import AudioPlacement, Sequence, SequenceClip, TakeRef, Transition
from server.errors import FileNotInProjectError, InvalidInputError
from server.media.probe import MediaInfo
from server.projects.paths import existing_file
from server.takes.media import take_media

STUDIO_KEY = "studio"  # the metadata namespace every clip we write carries
VIDEO_TRACK = "V1"
CLIP_AUDIO_TRACK = "A1"
TITLE_TRACK = "T1"
TITLE_GENERATOR = "studio_title"
# OTIO names only the dissolve; the other kinds are custom transitions whose kind is in the studio metadata.
TRANSITION_TYPES = {TransitionKind.dissolve: otio.schema.TransitionTypes.SMPTE_Dissolve}

Probe = Callable[[Path], MediaInfo]


def frames(value: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(value, fps)


def span(start: int, duration: int, fps: int) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(frames(start, fps), frames(duration, fps))


def _clip(
    take: TakeRef, available: int, start: int, duration: int, fps: int, extra: dict[str, Any]
) -> otio.schema.Clip:
    """A clip citing its take; `available` is the take's length in frames at the sequence's rate."""
    reference = otio.schema.ExternalReference(target_url=take.path, available_range=span(0, available, fps))
    metadata = {STUDIO_KEY: {**take.metadata(), "commit": take.commit, "sha256": take.sha256, **extra}}
    return otio.schema.Clip(
        name=take.take_id, media_reference=reference, source_range=span(start, duration, fps), metadata=metadata
    )


def conformed_frames(frames: int, rate: Fraction, fps: int) -> int:
    """How many frames at `fps` a clip of `frames` frames at `rate` lasts (half a frame rounds up)."""
    return int(Fraction(frames) * fps / rate + Fraction(1, 2))


def _check_clip(index: int, clip: SequenceClip, media: MediaInfo, fps: int) -> int:
    """The clip's length at the sequence's rate after trims, or an error naming the clip and the fix."""
    name = clip.take.take_id
    if media.video is None:
        raise InvalidInputError(f"Clip {index} ({name}) has no video; connect a video take to the Clips input.")
    total = conformed_frames(media.frames, media.video.fps, fps)
    length = total - clip.trim_in - clip.trim_out
    if length < 1:
        raise InvalidInputError(
            f"Clip {index} ({name}) has {total} frames at {fps} fps; trim_in {clip.trim_in} + trim_out "
            f"{clip.trim_out} leave nothing. Reduce the trims.",
            field="timeline",
        )
    return length


def conform_note(index: int, rate: Fraction, fps: int, mode: ConformMode) -> str:
    """The warning a Sequence shows for a clip of another rate: 'Clip 3 (12 fps) is conformed to 24 fps by …'."""
    how = "frame duplication" if rate < fps else "dropping frames"
    if mode is ConformMode.blend:
        how = "frame blending"
    return f"Clip {index} ({float(rate):.3g} fps) is conformed to {fps} fps by {how}."


def _transitions(sequence: Sequence, lengths: list[int]) -> dict[int, Transition]:
    found: dict[int, Transition] = {}
    for t in sequence.transitions:
        if t.kind is TransitionKind.cut or t.frames == 0:
            continue
        if not 0 <= t.after_clip < len(lengths) - 1:
            raise InvalidInputError(
                f"A transition after clip {t.after_clip} has no next clip (the sequence has {len(lengths)}).",
                field="transitions",
            )
        if t.after_clip in found:
            raise InvalidInputError(
                f"The cut after clip {t.after_clip} has two transitions; keep one.", field="transitions"
            )
        found[t.after_clip] = t
    return found


def _take_file(repo_root: Path, take: TakeRef) -> Path:
    """The take's file, confined to the project; one deleted since the sequence was read is named as a take."""
    try:
        return existing_file(repo_root, take.path, field="active_take")
    except FileNotInProjectError as exc:
        name = Path(take.path).name
        raise InvalidInputError(
            f"The media file '{name}' is missing; restore it or choose another take.", field="active_take"
        ) from exc


def build_timeline(sequence: Sequence, repo_root: Path, probe_media: Probe = take_media) -> otio.schema.Timeline:
    fps = sequence.fps
    media = [probe_media(_take_file(repo_root, c.take)) for c in sequence.clips]
    lengths = [_check_clip(i, c, m, fps) for i, (c, m) in enumerate(zip(sequence.clips, media, strict=True))]
    transitions = _transitions(sequence, lengths)
    head = [0] * len(lengths)  # frames of each clip given to the transition before it
    tail = [0] * len(lengths)  # frames given to the transition after it
    for after, transition in transitions.items():
        n = transition.frames
        tail[after], head[after + 1] = n - n // 2, n // 2
        for index in (after, after + 1):
            if head[index] + tail[index] >= lengths[index]:
                raise InvalidInputError(
                    f"The {n}-frame {transition.kind.value.replace('_', ' ')} after clip {after} is longer than "
                    f"clip {index} ({lengths[index]} frames after trims); shorten it.",
                    field="transitions",
                )
    timeline = otio.schema.Timeline(name=sequence.node_id, global_start_time=frames(0, fps))
    timeline.metadata[STUDIO_KEY] = {
        "sequence_node_id": sequence.node_id,
        "fps": fps,
        "conform": sequence.conform.value,
    }
    video = otio.schema.Track(name=VIDEO_TRACK, kind=otio.schema.TrackKind.Video)
    clip_audio = otio.schema.Track(name=CLIP_AUDIO_TRACK, kind=otio.schema.TrackKind.Audio)
    for index, (clip, info) in enumerate(zip(sequence.clips, media, strict=True)):
        assert info.video is not None  # _check_clip refused a clip without video
        start = clip.trim_in + head[index]
        duration = lengths[index] - head[index] - tail[index]
        extra = {
            "trim_in": clip.trim_in,
            "trim_out": clip.trim_out,
            "audio_offset": clip.audio_offset,
            "volume": clip.volume,
            "source_fps": str(info.video.fps),
        }
        total = conformed_frames(info.frames, info.video.fps, fps)
        video.append(_clip(clip.take, total, start, duration, fps, extra))
        if index in transitions:
            kind = transitions[index].kind
            video.append(
                otio.schema.Transition(
                    name=f"{kind.value} {index}",
                    transition_type=TRANSITION_TYPES.get(kind, otio.schema.TransitionTypes.Custom),
                    in_offset=frames(head[index + 1], fps),
                    out_offset=frames(tail[index], fps),
                    metadata={STUDIO_KEY: {"kind": kind.value}},
                )
            )
        if info.audio is not None:
            clip_audio.append(_clip(clip.take, total, start - clip.audio_offset, duration, fps, extra))
        else:
            clip_audio.append(otio.schema.Gap(source_range=span(0, duration, fps)))
    timeline.tracks.append(video)
    if any(m.audio is not None for m in media):
        timeline.tracks.append(clip_audio)
    if sequence.titles:
        timeline.tracks.append(_titles(sequence, fps))
    length = int(timeline.duration().rescaled_to(fps).value)
    for number, placed in enumerate(sequence.audio, start=2):
        timeline.tracks.append(
            _audio_track(f"A{number}", placed, probe_media(_take_file(repo_root, placed.take)), fps, length)
        )
    return timeline


def _audio_track(name: str, placed: AudioPlacement, info: MediaInfo, fps: int, length: int) -> otio.schema.Track:
    """An extra audio track: a gap up to a positive offset, the take from a negative one, cut at the sequence's end."""
    track = otio.schema.Track(name=name, kind=otio.schema.TrackKind.Audio)
    available = int(info.duration_s * fps) if info.duration_s else length
    skip, delay = max(0, -placed.offset), max(0, placed.offset)
    duration = min(available - skip, length - delay)
    if duration < 1:
        return track  # the offset puts all of it outside the sequence
    if delay:
        track.append(otio.schema.Gap(source_range=span(0, delay, fps)))
    extra = {"offset": placed.offset, "volume": placed.volume}
    track.append(_clip(placed.take, available, skip, duration, fps, extra))
    return track


def _titles(sequence: Sequence, fps: int) -> otio.schema.Track:
    track = otio.schema.Track(name=TITLE_TRACK, kind=otio.schema.TrackKind.Video)
    at = 0
    for title in sorted(sequence.titles, key=lambda t: t.start_frame):
        if title.start_frame < at:
            raise InvalidInputError(
                f"Title '{title.text[:40]}' starts at frame {title.start_frame}, before the previous title ends "
                f"(frame {at}); titles may not overlap.",
                field="titles",
            )
        if title.start_frame > at:
            track.append(otio.schema.Gap(source_range=span(0, title.start_frame - at, fps)))
        generator = otio.schema.GeneratorReference(
            generator_kind=TITLE_GENERATOR,
            available_range=span(0, title.frames, fps),
            parameters={"text": title.text, "position": title.position.value},
            # Lets the FCP7 XML adapter write it as a text generator item instead of a file it cannot name.
            metadata={"fcp_xml": {"effecttype": "generator", "mediatype": "video", "effectcategory": "Text"}},
        )
        track.append(
            otio.schema.Clip(
                name=f"TITLE {title.text[:24]}", media_reference=generator, source_range=span(0, title.frames, fps)
            )
        )
        at = title.start_frame + title.frames
    return track
