# Generated from schemas/sequence.schema.json by `.venv/bin/python -m schemas.generate`. Do not edit.

from __future__ import annotations
from enum import StrEnum
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field


class ConformMode(StrEnum):
    """
    How a clip of another rate is conformed to the sequence's: duplicate_drop repeats or drops whole frames (frame-accurate, sharp); blend mixes neighbouring frames (smoother motion, softer picture). Either way the node gets a warning naming the clip and both rates. Absent: duplicate_drop.
    """

    duplicate_drop = "duplicate_drop"
    blend = "blend"


class TransitionKind(StrEnum):
    """
    cut: none; dissolve: cross-fade; fade_to_black: out to black, then in from black; wipe: the next clip wipes in from the left.
    """

    cut = "cut"
    dissolve = "dissolve"
    fade_to_black = "fade_to_black"
    wipe = "wipe"


class Transition(BaseModel):
    """
    The transition at the cut after clip `after_clip`. The two clips overlap by `frames` around the cut (the later clip gives frames/2 of its head, rounded down, the earlier the rest of its tail), so the sequence is `frames` shorter than its clips laid end to end. fade_to_black fades the earlier clip out to black over its part and the later clip in from black over its part.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    after_clip: Annotated[
        int, Field(description="Index in timeline of the clip it leaves.", ge=0)
    ]
    kind: TransitionKind
    frames: Annotated[
        int | None, Field(description="Its length in frames.", ge=0, le=1000)
    ] = 12


class TitlePosition(StrEnum):
    """
    Where a title sits: near the top, centred, near the bottom, or on the lower third. Absent: lower_third.
    """

    top = "top"
    centre = "center"
    bottom = "bottom"
    lower_third = "lower_third"


class Title(BaseModel):
    """
    A text overlay from `start_frame` (on the sequence) for `frames` frames.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    text: Annotated[str, Field(max_length=500, min_length=1)]
    start_frame: Annotated[int, Field(ge=0)]
    frames: Annotated[int, Field(ge=1)]
    position: TitlePosition | None = None


class Format(StrEnum):
    edl = "edl"
    otio = "otio"
    xml = "xml"


class MatchedBy(StrEnum):
    metadata_take_path = "metadata take_path"
    metadata_sha256 = "metadata sha256"
    clip_name = "clip name"
    reel_name = "reel name"


class ImportMatchedClip(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    index: Annotated[int, Field(description="Position in the imported timeline.", ge=0)]
    name: Annotated[str, Field(description="The clip's name in the file.")]
    node_id: str
    take_path: str
    matched_by: MatchedBy
    trim_in: Annotated[int, Field(ge=0)]
    trim_out: Annotated[int, Field(ge=0)]
    previous_index: Annotated[
        int | None,
        Field(
            description="Its position on the current timeline; null when it is new there."
        ),
    ]
    previous_trim_in: int | None
    previous_trim_out: int | None


class ImportUnmatchedClip(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
    )
    index: Annotated[int, Field(ge=0)]
    name: str
    reel: str | None = None
    reason: Annotated[
        str, Field(description="A sentence: why no take matched, and what to do.")
    ]


class TimelineClip(BaseModel):
    """
    One clip of the timeline. Trims are in frames of the sequence's rate, counted on the clip as conformed to it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[str, Field(max_length=128, min_length=1)]
    trim_in: Annotated[
        int | None, Field(description="Frames cut from the clip's head.", ge=0)
    ] = 0
    trim_out: Annotated[
        int | None, Field(description="Frames cut from the clip's tail.", ge=0)
    ] = 0
    audio_offset: Annotated[
        int | None,
        Field(
            description="Frames the clip's own sound is shifted against its picture (positive: later).",
            ge=-100000,
            le=100000,
        ),
    ] = 0
    volume: Annotated[
        float | None,
        Field(
            description="Linear gain: 0 silent, 1 as recorded, 2 twice the amplitude (+6 dB).",
            ge=0.0,
            le=4.0,
            title="Volume",
        ),
    ] = 1


class AudioTrack(BaseModel):
    """
    Where one node connected to `audio` plays on the sequence.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    node_id: Annotated[str, Field(max_length=128, min_length=1)]
    offset: Annotated[
        int | None,
        Field(
            description="Frames from the sequence's start to the track's start; negative starts the track that many frames into itself.",
            ge=-1000000,
            le=1000000,
        ),
    ] = 0
    volume: Annotated[
        float | None,
        Field(
            description="Linear gain: 0 silent, 1 as recorded, 2 twice the amplitude (+6 dB).",
            ge=0.0,
            le=4.0,
            title="Volume",
        ),
    ] = 1


class ImportPreview(BaseModel):
    """
    What applying an edited .edl/.otio/.xml to a Sequence would change (POST .../sequences/{node_id}/import?dry_run=true); nothing is changed until it is applied with `version`.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    format: Format
    version: Annotated[
        int,
        Field(
            description="The graph version the preview was computed on; apply with it (409 when the graph moved on).",
            ge=1,
        ),
    ]
    applicable: Annotated[
        bool,
        Field(
            description="True when every clip matched a take: applying would change the sequence as shown."
        ),
    ]
    matched: list[ImportMatchedClip]
    unmatched: list[ImportUnmatchedClip]
    removed: Annotated[
        list[str],
        Field(description="Nodes on the current timeline that the file no longer has."),
    ]
    order_changed: bool
    timeline: Annotated[
        list[TimelineClip], Field(description="The timeline after applying.")
    ]
    transitions: Annotated[
        list[Transition], Field(description="The transitions after applying.")
    ]
    warnings: list[str] | None = None


class SequenceData(BaseModel):
    """
    A Sequence node's data (ARCHITECTURE §12): its clips in order with trims, transitions, title overlays and the audio/music track, all in whole frames at `fps`. It is the Sequence node type's params schema, so a graph edit that breaks it is refused. Clips of another rate are conformed to `fps`, never refused.
    """

    fps: Annotated[
        int | None,
        Field(
            description="The sequence's rate: every frame number here, and the render, is at this rate.",
            ge=1,
            le=240,
        ),
    ] = 24
    conform: ConformMode | None = None
    timeline: Annotated[
        list[TimelineClip] | None,
        Field(
            description="The clips in timeline order; each names the node connected to `clips` whose take it cuts (its chosen take, else its newest). Absent or empty: the connected clips in connection order, untrimmed.",
            max_length=2000,
        ),
    ] = None
    transitions: Annotated[
        list[Transition] | None,
        Field(
            description="At most one per cut; a cut with none is a straight cut.",
            max_length=2000,
        ),
    ] = None
    titles: Annotated[
        list[Title] | None,
        Field(
            description="Text overlays on their own track, over the picture.",
            max_length=500,
        ),
    ] = None
    audio_tracks: Annotated[
        list[AudioTrack] | None,
        Field(
            description="Placement and level of each node connected to `audio` (music, voice-over), mixed under the clips' own sound. A connected audio node with no entry starts at frame 0 at full volume.",
            max_length=100,
        ),
    ] = None
