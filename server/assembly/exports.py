"""Writing a timeline to 04_Project_Files/EDLs/ as CMX3600 .edl, .otio and FCP7 .xml, committed together."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from server.assembly.timeline import STUDIO_KEY, VIDEO_TRACK
from server.projects.git import Author, GitRepo
from server.projects.paths import new_file
from server.takes.naming import TAKE_FILE

EDL_DIR = "04_Project_Files/EDLs"
REEL_LENGTH = 8  # CMX3600 reel names are at most 8 characters


@dataclass(frozen=True)
class Exported:
    otio_path: str
    xml_path: str
    edl_path: str | None  # None when the timeline is more than an EDL can hold
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


def edl_text(timeline: otio.schema.Timeline) -> str:
    """The V1 track as a CMX3600 EDL; every event carries a reel of at most 8 characters and FROM CLIP."""
    only_video = copy.deepcopy(timeline)
    keep = [t for t in only_video.tracks if t.name == VIDEO_TRACK]
    only_video.tracks[:] = keep
    for clip in only_video.find_clips():
        clip.metadata.setdefault("cmx_3600", {})["reel"] = reel_name(clip.name)
    return str(otio.adapters.write_to_string(only_video, "cmx_3600", reelname_len=REEL_LENGTH))


def write_exports(repo: GitRepo, timeline: otio.schema.Timeline, name: str, author: Author) -> Exported:
    warnings = edl_limits(timeline)
    base = f"{EDL_DIR}/{export_name(name)}"
    texts = {
        f"{base}.otio": otio.adapters.write_to_string(timeline, "otio_json"),
        f"{base}.xml": otio.adapters.write_to_string(timeline, "fcp_xml"),
    }
    edl_path: str | None = f"{base}.edl"
    try:
        texts[f"{base}.edl"] = edl_text(timeline)
    except otio.exceptions.OTIOError as exc:
        warnings.append(f"No EDL was written: {exc}. The .otio and .xml hold the whole timeline.")
        edl_path = None
    with repo.lock():
        for path, text in texts.items():
            _write_atomically(new_file(repo.root, path, folder=EDL_DIR), str(text))
        stale = new_file(repo.root, f"{base}.edl", folder=EDL_DIR)
        if edl_path is None and stale.exists():
            stale.unlink()  # an EDL of an older cut would contradict the .otio next to it
        paths = [*texts] + ([f"{base}.edl"] if edl_path is None and _tracked(repo, f"{base}.edl") else [])
        commit = repo.commit(paths, f"assembly: export {export_name(name)} (EDL, OTIO, FCP XML)", author)
    return Exported(f"{base}.otio", f"{base}.xml", edl_path, tuple(warnings), commit)


def _tracked(repo: GitRepo, path: str) -> bool:
    return bool(repo.run("ls-files", "--", path).strip())


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(f".{target.name}.incoming")
    staged.write_text(text)
    staged.replace(target)
