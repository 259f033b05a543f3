"""A Sequence as an OpenTimelineIO timeline: V1 the cut, A1 the clips' own sound, T1 the titles, A2… extra audio.

Dissolves follow OTIO's model: a transition overlaps the cut and uses media outside the clips' source
ranges, so a dissolve of N frames takes N//2 frames from the next clip's head and the rest from the
previous clip's tail, and the track is N frames shorter than the clips laid end to end.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import opentimelineio as otio

from server.assembly.sequence import Sequence, SequenceClip, TakeRef, TransitionKind
from server.errors import FileNotInProjectError, InvalidInputError
from server.media.probe import MediaInfo, probe
from server.projects.paths import existing_file

STUDIO_KEY = "studio"  # the metadata namespace every clip we write carries
VIDEO_TRACK = "V1"
CLIP_AUDIO_TRACK = "A1"
TITLE_TRACK = "T1"
TITLE_GENERATOR = "studio_title"

Probe = Callable[[Path], MediaInfo]


def frames(value: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(value, fps)


def span(start: int, duration: int, fps: int) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(frames(start, fps), frames(duration, fps))


def _clip(
    take: TakeRef, media: MediaInfo, start: int, duration: int, fps: int, extra: dict[str, Any]
) -> otio.schema.Clip:
    reference = otio.schema.ExternalReference(target_url=take.path, available_range=span(0, media.frames, fps))
    metadata = {STUDIO_KEY: {**take.metadata(), "commit": take.commit, "sha256": take.sha256, **extra}}
    return otio.schema.Clip(
        name=take.take_id, media_reference=reference, source_range=span(start, duration, fps), metadata=metadata
    )


def _check_clip(index: int, clip: SequenceClip, media: MediaInfo, fps: int) -> int:
    """The clip's length after trims, or an error naming the clip and the fix."""
    name = clip.take.take_id
    if media.video is None:
        raise InvalidInputError(f"Clip {index} ({name}) has no video; connect a video take to the Clips input.")
    if media.video.fps != fps:
        raise InvalidInputError(
            f"Clip {index} ({name}) is {float(media.video.fps):g} fps but the sequence is {fps} fps; set the "
            "sequence's fps to match or re-render the take.",
            field="fps",
        )
    length = media.frames - clip.trim_in - clip.trim_out
    if length < 1:
        raise InvalidInputError(
            f"Clip {index} ({name}) has {media.frames} frames; trim_in {clip.trim_in} + trim_out {clip.trim_out} "
            "leave nothing. Reduce the trims.",
            field="timeline",
        )
    return length


def _dissolves(sequence: Sequence, lengths: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for t in sequence.transitions:
        if t.kind is TransitionKind.CUT or t.frames == 0:
            continue
        if t.kind is not TransitionKind.DISSOLVE:
            raise InvalidInputError(
                f"The {t.kind.value} after clip {t.after_clip} cannot be rendered yet; use a cut or a dissolve.",
                field="transitions",
            )
        if not 0 <= t.after_clip < len(lengths) - 1:
            raise InvalidInputError(
                f"A transition after clip {t.after_clip} has no next clip (the sequence has {len(lengths)}).",
                field="transitions",
            )
        found[t.after_clip] = t.frames
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


def build_timeline(sequence: Sequence, repo_root: Path, probe_media: Probe = probe) -> otio.schema.Timeline:
    fps = sequence.fps
    media = [probe_media(_take_file(repo_root, c.take)) for c in sequence.clips]
    lengths = [_check_clip(i, c, m, fps) for i, (c, m) in enumerate(zip(sequence.clips, media, strict=True))]
    dissolves = _dissolves(sequence, lengths)
    head = [0] * len(lengths)  # frames of each clip given to the dissolve before it
    tail = [0] * len(lengths)  # frames given to the dissolve after it
    for after, n in dissolves.items():
        tail[after], head[after + 1] = n - n // 2, n // 2
        for index in (after, after + 1):
            if head[index] + tail[index] >= lengths[index]:
                raise InvalidInputError(
                    f"The {n}-frame dissolve after clip {after} is longer than clip {index} "
                    f"({lengths[index]} frames after trims); shorten the dissolve.",
                    field="transitions",
                )
    timeline = otio.schema.Timeline(name=sequence.node_id, global_start_time=frames(0, fps))
    timeline.metadata[STUDIO_KEY] = {"sequence_node_id": sequence.node_id, "fps": fps}
    video = otio.schema.Track(name=VIDEO_TRACK, kind=otio.schema.TrackKind.Video)
    clip_audio = otio.schema.Track(name=CLIP_AUDIO_TRACK, kind=otio.schema.TrackKind.Audio)
    for index, (clip, info) in enumerate(zip(sequence.clips, media, strict=True)):
        start = clip.trim_in + head[index]
        duration = lengths[index] - head[index] - tail[index]
        extra = {"trim_in": clip.trim_in, "trim_out": clip.trim_out, "audio_offset": clip.audio_offset}
        video.append(_clip(clip.take, info, start, duration, fps, extra))
        if index in dissolves:
            video.append(
                otio.schema.Transition(
                    name=f"dissolve {index}",
                    transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                    in_offset=frames(head[index + 1], fps),
                    out_offset=frames(tail[index], fps),
                )
            )
        if info.audio is not None:
            clip_audio.append(_clip(clip.take, info, start - clip.audio_offset, duration, fps, extra))
        else:
            clip_audio.append(otio.schema.Gap(source_range=span(0, duration, fps)))
    timeline.tracks.append(video)
    if any(m.audio is not None for m in media):
        timeline.tracks.append(clip_audio)
    if sequence.titles:
        timeline.tracks.append(_titles(sequence, fps))
    for number, take in enumerate(sequence.audio, start=2):
        info = probe_media(_take_file(repo_root, take))
        track = otio.schema.Track(name=f"A{number}", kind=otio.schema.TrackKind.Audio)
        seconds = float(timeline.duration().to_seconds())
        available = info.frames or int(seconds * fps)
        track.append(_clip(take, info, 0, min(available, int(timeline.duration().value)), fps, {}))
        timeline.tracks.append(track)
    return timeline


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
