"""An edited .edl / .otio / .xml back onto a Sequence node: clips matched to takes, order and trims as edited.

A clip is matched by its studio metadata (take path, then sha256), then by clip name (the take's file
stem, as the EDL's FROM CLIP NAME carries it), then by reel name. Any clip that matches no connected take
stops the import with every such clip named: nothing is dropped from the sequence silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

import opentimelineio as otio

from schemas.models.sequence import ImportUnmatchedClip, TransitionKind
from server.assembly.exports import edl_rate, reel_name
from server.assembly.sequence import TakeRef
from server.assembly.timeline import STUDIO_KEY, conformed_frames
from server.errors import InvalidInputError
from server.media.probe import MediaInfo
from server.projects.paths import existing_file
from server.takes.media import take_media


class ImportFormat(StrEnum):
    EDL = "edl"
    OTIO = "otio"
    FCP_XML = "xml"

    @property
    def adapter(self) -> str:
        return {"edl": "cmx_3600", "otio": "otio_json", "xml": "fcp_xml"}[self.value]


class UnmatchedClipsError(InvalidInputError):
    code = "unmatched_clips"


@dataclass(frozen=True)
class MatchedClip:
    entry: dict[str, Any]  # a SequenceNode `timeline` item
    matched_by: str
    index: int  # its position among the file's clips
    name: str  # the clip's name in the file
    take_path: str


@dataclass(frozen=True)
class ImportedEdit:
    """What an edited file would make of the Sequence: its clips matched to takes, the ones that match none."""

    matched: list[MatchedClip]
    unmatched: list[ImportUnmatchedClip]
    transitions: list[dict[str, Any]]

    def require_all_matched(self) -> None:
        if self.unmatched:
            named = ", ".join(f"'{u.name}' (reel {u.reel or '-'})" for u in self.unmatched)
            raise UnmatchedClipsError(
                f"{len(self.unmatched)} clip(s) match no take connected to the sequence: {named}. Nothing was "
                "changed. Connect their shots, or name each clip after its take (e.g. SHOT-010_v01_take03) and "
                "import again.",
                field="file",
                unmatched=[u.name for u in self.unmatched],
            )


def import_format(filename: str) -> ImportFormat:
    suffix = PurePosixPath(filename).suffix.lower().lstrip(".")
    try:
        return ImportFormat(suffix)
    except ValueError as exc:
        raise InvalidInputError(
            f"'{filename}' is not an .edl, .otio or .xml (FCP7) file; export one of those from your editor.",
            field="file",
        ) from exc


def read_timeline(text: str, kind: ImportFormat, fps: int) -> otio.schema.Timeline:
    try:
        options = {"rate": edl_rate(fps) or fps} if kind is ImportFormat.EDL else {}
        found = otio.adapters.read_from_string(text, kind.adapter, **options)
    except Exception as exc:  # the adapters raise anything from OTIOError to IndexError on malformed files
        raise InvalidInputError(
            f"The {kind.value} file could not be read ({exc.__class__.__name__}: {str(exc)[:200]}); export it again.",
            field="file",
        ) from exc
    if not isinstance(found, otio.schema.Timeline):
        raise InvalidInputError("The file holds no timeline; export the sequence itself.", field="file")
    return found


def _match(clip: otio.schema.Clip, takes: list[TakeRef]) -> tuple[TakeRef, str] | None:
    studio = clip.metadata.get(STUDIO_KEY, {})
    for key, attribute in (("take_path", "path"), ("sha256", "sha256")):
        value = studio.get(key)
        found = next((t for t in takes if value and getattr(t, attribute) == value), None)
        if found:
            return found, f"metadata {key}"
    url = getattr(clip.media_reference, "target_url", None) or ""
    names = {clip.name, PurePosixPath(str(url)).stem}
    found = next((t for t in takes if t.take_id in names), None)
    if found:
        return found, "clip name"
    reel = clip.metadata.get("cmx_3600", {}).get("reel")
    found = next((t for t in takes if reel and reel_name(t.take_id) == reel), None)
    return (found, "reel name") if found else None


def _frames(time: otio.opentime.RationalTime, fps: int) -> int:
    return round(float(time.rescaled_to(fps).value))


def imported_sequence(
    timeline: otio.schema.Timeline,
    takes: list[TakeRef],
    repo_root: Path,
    fps: int,
    previous: list[dict[str, Any]],
    probe_media: Callable[[Path], MediaInfo] = take_media,
) -> ImportedEdit:
    """The `timeline` and `transitions` node data for the first video track of `timeline`."""
    tracks = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video]
    if not tracks:
        raise InvalidInputError("The file has no video track; export the sequence with its video.", field="file")
    kept = {e["node_id"]: e for e in previous}
    items = [item for item in tracks[0] if not isinstance(item, otio.schema.Gap)]
    matched: list[MatchedClip] = []
    transitions: list[dict[str, Any]] = []
    unmatched: list[ImportUnmatchedClip] = []
    clips = 0
    for index, item in enumerate(items):
        if isinstance(item, otio.schema.Transition):
            if matched:
                frames = _frames(item.in_offset + item.out_offset, fps)
                kind = item.metadata.get(STUDIO_KEY, {}).get("kind", TransitionKind.dissolve.value)
                kind = kind if kind in TransitionKind.__members__ else TransitionKind.dissolve.value
                transitions.append({"after_clip": len(matched) - 1, "kind": kind, "frames": frames})
            continue
        if not isinstance(item, otio.schema.Clip):
            continue
        clips += 1
        found = _match(item, takes)
        source = item.source_range
        start, length = _frames(source.start_time, fps), _frames(source.duration, fps)
        if found is None:
            reel = item.metadata.get("cmx_3600", {}).get("reel")
            unmatched.append(
                ImportUnmatchedClip(
                    index=clips - 1,
                    name=str(item.name)[:200],
                    reel=str(reel)[:64] if reel else None,
                    reason=f"Source frames {start}-{start + length - 1} match no take connected to the sequence "
                    "(by take metadata, clip name or reel); connect its shot, or rename the clip after its take.",
                )
            )
            continue
        take, how = found
        before = items[index - 1] if index > 0 else None
        after = items[index + 1] if index + 1 < len(items) else None
        head = _frames(before.in_offset, fps) if isinstance(before, otio.schema.Transition) else 0
        tail = _frames(after.out_offset, fps) if isinstance(after, otio.schema.Transition) else 0
        info = probe_media(existing_file(repo_root, take.path))
        total = conformed_frames(info.frames, info.video.fps, fps) if info.video else info.frames
        trim_in = start - head
        trim_out = total - (start + length + tail)
        if trim_in < 0 or trim_out < 0:
            raise InvalidInputError(
                f"Clip '{item.name}' uses frames {trim_in}-{start + length + tail - 1} of {take.take_id}, which has "
                f"{total}; the edit reaches past the take. Fix the clip's in/out points and export again.",
                field="file",
            )
        studio = item.metadata.get(STUDIO_KEY, {})
        earlier = kept.get(take.node_id, {})
        entry = {
            "node_id": take.node_id,
            "trim_in": trim_in,
            "trim_out": trim_out,
            "audio_offset": int(studio.get("audio_offset", earlier.get("audio_offset", 0))),
        }
        volume = studio.get("volume", earlier.get("volume"))
        if volume is not None:
            entry["volume"] = float(volume)
        matched.append(MatchedClip(entry, how, clips - 1, str(item.name)[:200], take.path))
    if not matched and not unmatched:
        raise InvalidInputError("The file's video track has no clips; nothing to import.", field="file")
    return ImportedEdit(matched, unmatched, transitions)
