"""Where a take lives and what it is called: 03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take03.png.

A node that is not a shot (an Audio, Super Resolution or manifest-defined pipeline node) has no shot id; its
takes are labelled by the node id instead: 03_Renders/SCENE_01/NODE_voice1/NODE-voice1_v01_take01.wav.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RENDERS_DIR = "03_Renders"
DEFAULT_SCENE = "SCENE_01"
SCENE_PATTERN = re.compile(r"^SCENE_[0-9]{2,3}$")
SHOT_PATTERN = re.compile(r"^SHOT-[0-9]{3,4}$")
NODE_LABEL_PREFIX = "NODE-"
SLOT_LABEL = r"SHOT-[0-9]{3,4}|NODE-[A-Za-z0-9]{1,64}"
TAKE_FILE = re.compile(
    rf"^(?P<shot>{SLOT_LABEL})_v(?P<version>[0-9]{{2}})_take(?P<take>[0-9]{{2,3}})\.(?P<ext>[a-z0-9]+)$"
)
MAX_TAKE = 999


@dataclass(frozen=True)
class ShotSlot:
    """One shot (or one node, labelled NODE-<id>) at one version: the folder its takes go to."""

    scene: str
    shot_id: str
    version: int

    def __post_init__(self) -> None:
        if not SCENE_PATTERN.fullmatch(self.scene):
            raise ValueError(f"scene {self.scene!r} must look like SCENE_01")
        if not re.fullmatch(SLOT_LABEL, self.shot_id):
            raise ValueError(f"shot id {self.shot_id!r} must look like SHOT-010")
        if not 1 <= self.version <= 99:
            raise ValueError(f"shot version {self.version} must be 1 to 99")

    @property
    def folder(self) -> str:
        return f"{RENDERS_DIR}/{self.scene}/{self.shot_id.replace('-', '_')}"

    def stem(self, take: int) -> str:
        return f"{self.shot_id}_v{self.version:02d}_take{take:02d}"

    def take_path(self, take: int, extension: str) -> str:
        return f"{self.folder}/{self.stem(take)}.{extension}"

    def take_number(self, file_name: str) -> int | None:
        """The take number if `file_name` is a take of this shot and version."""
        match = TAKE_FILE.fullmatch(file_name)
        if not match or match["shot"] != self.shot_id or int(match["version"]) != self.version:
            return None
        return int(match["take"])


def node_label(node_id: str) -> str:
    """The take label of a node without a shot id: NODE- and the node id's letters and digits."""
    return NODE_LABEL_PREFIX + (re.sub(r"[^A-Za-z0-9]", "", node_id)[:64] or "node")
