"""A Sequence node read from the graph: its clips (the active takes of connected nodes), transitions and titles."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from schemas.models.sequence import ConformMode, TitlePosition, TransitionKind
from server.errors import InvalidInputError, NotFoundError, PathNotAllowedError, StudioError
from server.projects.git import GitRepo
from server.projects.paths import existing_file
from server.takes.slots import nodes_by_id
from server.takes.store import contributed_take

SEQUENCE_TYPE = "SequenceNode"
DEFAULT_FPS = 24
DEFAULT_TRANSITION_FRAMES = 12


class SequenceNotFoundError(NotFoundError):
    code = "sequence_not_found"


@dataclass(frozen=True)
class TakeRef:
    """One take as the timeline cites it: where it is, and what proves it is the same file."""

    node_id: str
    path: str  # repository-relative
    take_id: str  # the file stem, e.g. SHOT-010_v01_take03
    commit: str | None
    sha256: str | None

    def metadata(self) -> dict[str, Any]:
        return {"node_id": self.node_id, "take_path": self.path, "take_id": self.take_id}


@dataclass(frozen=True)
class SequenceClip:
    take: TakeRef
    trim_in: int
    trim_out: int
    audio_offset: int
    volume: float = 1.0


@dataclass(frozen=True)
class AudioPlacement:
    """A node on the Audio input: where its take starts on the sequence (frames; negative skips its head)."""

    take: TakeRef
    offset: int = 0
    volume: float = 1.0


@dataclass(frozen=True)
class Transition:
    after_clip: int
    kind: TransitionKind
    frames: int


@dataclass(frozen=True)
class Title:
    text: str
    start_frame: int
    frames: int
    position: TitlePosition


@dataclass(frozen=True)
class Sequence:
    node_id: str
    fps: int
    clips: tuple[SequenceClip, ...]
    transitions: tuple[Transition, ...]
    titles: tuple[Title, ...]
    audio: tuple[AudioPlacement, ...]
    conform: ConformMode = ConformMode.duplicate_drop


def take_ref(repo: GitRepo, node_id: str, path: str) -> TakeRef:
    """The take at `path` with the hash from its sidecar and the commit that last touched it."""
    try:
        media = existing_file(repo.root, path, field="active_take")
    except StudioError as exc:
        why = f" {exc.message}" if isinstance(exc, PathNotAllowedError) else ""
        raise InvalidInputError(
            f"Node '{node_id}' has active take '{path[:200]}', which is not in the project; "
            f"pick one of its takes.{why}",
            field="active_take",
        ) from exc
    path = str(media.relative_to(repo.root.resolve()))
    sha256 = None
    sidecar = media.with_suffix(".json")
    if sidecar.is_file():
        try:
            sha256 = json.loads(sidecar.read_text()).get("output", {}).get("sha256")
        except (OSError, ValueError):
            sha256 = None
    try:
        commit = repo.run("log", "-1", "--format=%H", "--", path).strip() or None
    except StudioError:
        commit = None
    return TakeRef(node_id, path, media.stem, commit, sha256)


def _connected(graph: dict[str, Any], node_id: str, port: str) -> list[str]:
    return [e["source"] for e in graph["edges"] if e["target"] == node_id and e.get("targetHandle") == port]


def contributed_ref(nodes: Mapping[str, dict[str, Any]], node_id: str, repo: GitRepo) -> TakeRef:
    """The take `node_id` contributes (its chosen take, else its newest: what the canvas shows); `nodes` is the
    graph's nodes by id."""
    take = contributed_take(repo.root, nodes, node_id)
    if take is None:
        raise InvalidInputError(
            f"Node '{node_id}' in the sequence has no take yet; generate it, or disconnect it from the sequence.",
            field="active_take",
        )
    return take_ref(repo, node_id, take)


def sequence_node(graph: dict[str, Any], node_id: str) -> dict[str, Any]:
    node: dict[str, Any] | None = next((n for n in graph["nodes"] if n["id"] == node_id), None)
    if node is None or node["type"] != SEQUENCE_TYPE:
        raise SequenceNotFoundError(f"The project has no Sequence node '{node_id}'.", field="node_id")
    return node


def read_sequence(graph: dict[str, Any], node_id: str, repo: GitRepo) -> Sequence:
    """The Sequence node `node_id`; with no `timeline` set, its connected clips in connection order."""
    data = sequence_node(graph, node_id)["data"]
    nodes = nodes_by_id(graph)
    connected = _connected(graph, node_id, "clips")
    entries = data.get("timeline") or [{"node_id": source} for source in connected]
    if not entries:
        raise InvalidInputError(f"Sequence '{node_id}' has no clips; connect shots to its Clips input.")
    clips = []
    for index, entry in enumerate(entries):
        if entry["node_id"] not in connected:
            raise InvalidInputError(
                f"Clip {index} of sequence '{node_id}' names node '{entry['node_id']}', which is not connected to "
                "its Clips input; connect it or remove the clip.",
                field="timeline",
            )
        clips.append(
            SequenceClip(
                contributed_ref(nodes, entry["node_id"], repo),
                int(entry.get("trim_in", 0)),
                int(entry.get("trim_out", 0)),
                int(entry.get("audio_offset", 0)),
                float(entry.get("volume", 1.0)),
            )
        )
    transitions = tuple(
        Transition(int(t["after_clip"]), TransitionKind(t["kind"]), int(t.get("frames", DEFAULT_TRANSITION_FRAMES)))
        for t in data.get("transitions", [])
    )
    titles = tuple(
        Title(t["text"], int(t["start_frame"]), int(t["frames"]), TitlePosition(t.get("position", "lower_third")))
        for t in data.get("titles", [])
    )
    placed = {track["node_id"]: track for track in data.get("audio_tracks", [])}
    audio = tuple(
        AudioPlacement(
            contributed_ref(nodes, source, repo),
            int(placed.get(source, {}).get("offset", 0)),
            float(placed.get(source, {}).get("volume", 1.0)),
        )
        for source in _connected(graph, node_id, "audio")
    )
    conform = ConformMode(data.get("conform", ConformMode.duplicate_drop.value))
    return Sequence(node_id, int(data.get("fps", DEFAULT_FPS)), tuple(clips), transitions, titles, audio, conform)
