"""Writing a timeline to 04_Project_Files/EDLs/ as CMX3600 .edl, .otio and FCP7 .xml, committed together."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opentimelineio as otio

from server.assembly.timeline import STUDIO_KEY, VIDEO_TRACK
from server.errors import InvalidInputError
from server.projects.git import Author, GitRepo
from server.projects.paths import new_file
from server.takes.naming import TAKE_FILE

EDL_DIR = "04_Project_Files/EDLs"
REEL_LENGTH = 8  # CMX3600 reel names are at most 8 characters
# The whole-number rates SMPTE timecode (and so CMX 3600) counts in, as OpenTimelineIO writes them.
TIMECODE_RATES = (24, 25, 30, 48, 50, 60)


class EdlRateError(InvalidInputError):
    code = "edl_rate"


@dataclass(frozen=True)
class Exported:
    otio_path: str
    xml_path: str | None  # None when the sequence's rate has no SMPTE timecode (nor a multiple of it)
    edl_path: str | None  # None when the timeline is more than an EDL can hold, or for the same reason
    warnings: tuple[str, ...]
    commit: str | None


def reel_name(take_id: str) -> str:
    """`SHOT-010_v01_take03` → `010V1T03`: shot, version and take in eight characters (the full name goes in a
    FROM CLIP comment)."""
    match = TAKE_FILE.fullmatch(f"{take_id}.x")
    if match is None:
        return re.sub(r"[^A-Za-z0-9]", "", take_id)[:REEL_LENGTH] or "AX"
    shot = re.sub(r"[^A-Za-z0-9]", "", match["shot"].removeprefix("SHOT-"))
    return f"{shot}V{int(match['version'])}T{int(match['take']):02d}"[:REEL_LENGTH]


def export_name(node_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", node_id)[:100] or "sequence"


def edl_limits(timeline: otio.schema.Timeline) -> list[str]:
    """Why an EDL cannot hold all of `timeline`: each reason a sentence (empty: it can)."""
    reasons = []
    for track in timeline.tracks:
        if track.name == VIDEO_TRACK:
            continue
        if track.kind == otio.schema.TrackKind.Video and len(track):
            reasons.append(
                f"Track {track.name} (titles or overlays) is not in the EDL, which holds one video track; "
                "use the .otio or .xml to keep it."
            )
        elif track.kind == otio.schema.TrackKind.Audio and track.name != "A1" and len(track):
            reasons.append(f"Audio track {track.name} is not in the EDL; use the .otio or .xml to keep it.")
    offsets = [
        c.name for c in timeline.find_clips() if c.metadata.get(STUDIO_KEY, {}).get("audio_offset", 0) not in (0, None)
    ]
    if offsets:
        reasons.append(
            f"Audio offsets (on {', '.join(sorted(set(offsets)))}) are not in the EDL; "
            "use the .otio or .xml to keep them."
        )
    return reasons


def edl_rate(fps: int) -> int | None:
    """The timecode rate an EDL of a `fps` sequence is written at: `fps` itself when SMPTE timecode has it, else its
    smallest multiple that does (12 -> 24, 16 -> 48: every frame a whole number of timecode frames, so every cut
    stays exact); None when no multiple does."""
    return next((rate for rate in TIMECODE_RATES if rate % fps == 0), None)


def at_timecode_rate(timeline: otio.schema.Timeline, what: str) -> tuple[otio.schema.Timeline, str | None]:
    """`timeline` as CMX 3600 and FCP7 XML can count it, and the note saying so: itself when SMPTE timecode has
    its rate, else a copy counted at edl_rate's multiple (12 fps at 24: every frame two timecode frames, so every cut
    stays exact). A rate with no such multiple raises EdlRateError naming `what` was not written."""
    fps = int(timeline.metadata.get(STUDIO_KEY, {}).get("fps", 24))
    rate = edl_rate(fps)
    if rate is None:
        supported = ", ".join(str(r) for r in TIMECODE_RATES)
        raise EdlRateError(
            f"SMPTE timecode has no {fps} fps, nor a multiple of it ({supported}), so no {what} was written. The "
            f".otio holds the sequence at its own rate; set the sequence's fps to one of those for an {what} too."
        )
    if rate == fps:
        return timeline, None
    counted = copy.deepcopy(timeline)
    counted.global_start_time = otio.opentime.RationalTime(0, rate)
    for track in counted.tracks:
        for item in track:
            _rescale(item, rate)
    return counted, f"SEQUENCE RATE {fps} FPS: TIMECODE AT {rate} FPS, {rate // fps} TIMECODE FRAMES PER SEQUENCE FRAME"


def edl_text(timeline: otio.schema.Timeline) -> str:
    """The V1 track as a CMX3600 EDL; every event carries a reel of at most 8 characters and FROM CLIP. A sequence
    at a rate timecode lacks is counted at a multiple of it (at_timecode_rate), a comment saying so."""
    counted, note = at_timecode_rate(timeline, "EDL")
    only_video = copy.deepcopy(counted)
    keep = [t for t in only_video.tracks if t.name == VIDEO_TRACK]
    only_video.tracks[:] = keep
    for clip in only_video.find_clips():
        clip.metadata.setdefault("cmx_3600", {})["reel"] = reel_name(clip.name)
    text = str(otio.adapters.write_to_string(only_video, "cmx_3600", reelname_len=REEL_LENGTH))
    if note is None:
        return text
    # A comment is read as part of the event above it (one before the first event is refused): the first event's.
    lines = text.splitlines()
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("* FROM CLIP")), len(lines))
    return "\n".join([*lines[:at], f"* {note}", *lines[at:]]) + "\n"


def otio_text(timeline: otio.schema.Timeline) -> str:
    return str(otio.adapters.write_to_string(timeline, "otio_json"))


def xml_text(timeline: otio.schema.Timeline) -> str:
    """The timeline as FCP7 XML, counted as at_timecode_rate says (its writer labels files with SMPTE timecode)."""
    counted, note = at_timecode_rate(timeline, "FCP XML")
    if note is not None:
        counted.metadata.setdefault(STUDIO_KEY, {})["timecode_note"] = note
    return str(otio.adapters.write_to_string(counted, "fcp_xml"))


def _rescale(item: otio.core.Composable, rate: int) -> None:
    """`item`'s times counted at `rate` (a whole multiple of theirs: exact)."""
    if isinstance(item, otio.schema.Transition):
        item.in_offset, item.out_offset = item.in_offset.rescaled_to(rate), item.out_offset.rescaled_to(rate)
        return
    ranged: list[Any] = [item, getattr(item, "media_reference", None)]
    for holder in ranged:
        attribute = "source_range" if holder is item else "available_range"
        found = getattr(holder, attribute, None) if holder is not None else None
        if found is not None:
            setattr(
                holder,
                attribute,
                otio.opentime.TimeRange(found.start_time.rescaled_to(rate), found.duration.rescaled_to(rate)),
            )


def write_exports(repo: GitRepo, timeline: otio.schema.Timeline, name: str, author: Author) -> Exported:
    warnings = edl_limits(timeline)
    base = f"{EDL_DIR}/{export_name(name)}"
    texts = {f"{base}.otio": otio_text(timeline)}
    for extension, write in (("xml", xml_text), ("edl", edl_text)):
        try:
            texts[f"{base}.{extension}"] = write(timeline)
        except EdlRateError as exc:
            warnings.append(exc.message)
        except otio.exceptions.OTIOError as exc:
            warnings.append(f"No .{extension} was written: {exc}. The .otio holds the whole timeline.")
    edl_path = f"{base}.edl" if f"{base}.edl" in texts else None
    xml_path = f"{base}.xml" if f"{base}.xml" in texts else None
    with repo.lock():
        for path, text in texts.items():
            _write_atomically(new_file(repo.root, path, folder=EDL_DIR), text)
        stale = [f"{base}.{extension}" for extension in ("edl", "xml") if f"{base}.{extension}" not in texts]
        for path in stale:
            # An export of an older cut would contradict the .otio next to it.
            new_file(repo.root, path, folder=EDL_DIR).unlink(missing_ok=True)
        paths = [*texts, *(path for path in stale if _tracked(repo, path))]
        commit = repo.commit(paths, f"assembly: export {export_name(name)} (EDL, OTIO, FCP XML)", author)
    return Exported(f"{base}.otio", xml_path, edl_path, tuple(warnings), commit)


def _tracked(repo: GitRepo, path: str) -> bool:
    return bool(repo.run("ls-files", "--", path).strip())


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.incoming")
    staged.write_text(text)
    staged.replace(target)
