"""What a final render renders: the Sequence (its takes read once, when it is asked for) and where its video goes
(06_Exports, ignored by git; each render a new version of the name, server.assembly.renders)."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any, Literal

from server.assembly.exports import export_name
from server.assembly.sequence import SEQUENCE_TYPE, Sequence, SequenceNotFoundError, read_sequence
from server.errors import InvalidInputError
from server.jobs.kinds import JobKind, JobSpec
from server.projects.git import GitRepo
from server.projects.paths import relative_path

EXPORTS_DIR = "06_Exports"
ASSEMBLER_TYPE = "VSEAssemblerNode"


class Container(StrEnum):
    MP4 = "mp4"
    MOV = "mov"


class RenderSpec(JobSpec):
    """What a final-render task renders (its row's spec): the sequence as it was when the render was asked for."""

    kind: Literal[JobKind.RENDER_FINAL_VIDEO] = JobKind.RENDER_FINAL_VIDEO
    sequence: Sequence
    output_path: str  # repository-relative, under 06_Exports: the name each render's version is made from


def render_spec(graph: dict[str, Any], node_id: str, repo: GitRepo) -> RenderSpec:
    """`node_id` is a Sequence node, or a VSE Assembler whose `sequence` input names one (its output_name and
    container then decide the file name)."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    node = nodes.get(node_id)
    data: dict[str, Any] = {}
    if node is not None and node["type"] == ASSEMBLER_TYPE:
        data = node["data"]
        sources = [
            e["source"] for e in graph["edges"] if e["target"] == node_id and e.get("targetHandle") == "sequence"
        ]
        if not sources:
            raise SequenceNotFoundError(
                f"VSE Assembler '{node_id}' has no Sequence connected; connect a Sequence node to its input.",
                field="node_id",
            )
        node = nodes.get(sources[0])
    if node is None or node["type"] != SEQUENCE_TYPE:
        raise SequenceNotFoundError(
            f"Node '{node_id}' is neither a Sequence nor a VSE Assembler; render a Sequence node.", field="node_id"
        )
    name = str(data.get("output_name") or export_name(node["id"]))
    name = re.sub(r"\.(mp4|mov)$", "", name)
    container = Container(data.get("container", Container.MP4.value))
    output_path = f"{EXPORTS_DIR}/{name}.{container.value}"
    if relative_path(output_path, field="output_name").parent != PurePosixPath(EXPORTS_DIR):
        raise InvalidInputError(
            f"The output name '{name[:100]}' names a folder; give a plain file name such as 'final_cut' "
            f"(the video is written to {EXPORTS_DIR}/).",
            field="output_name",
        )
    return RenderSpec(sequence=read_sequence(graph, node["id"], repo), output_path=output_path)
