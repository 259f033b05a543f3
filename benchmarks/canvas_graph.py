"""A realistic canvas graph of any size for the canvas benchmark, built from the served node types.

Nodes come in scenes of 20 laid out on a grid (two scenes per row): a Pipeline, a character and a
style Asset, an Audio node, 13 Shots, a Super-Resolution, a Sequence and one of Motion Source /
Video Restoration / VSE Assembler. Edges are taken scene by scene in the order a user wires a scene
(pipeline into every shot, shots into the sequence, then characters, styles, shot-to-shot images,
audio), so a smaller edge budget drops the least essential links everywhere alike. Every edge joins
an output to an input that accepts its socket type, and a non-`multiple` input gets one link at most.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from schemas.models.socket_type import SocketType
from server.graph.compatibility import can_feed

Json = dict[str, Any]

SHOTS_PER_SCENE = 13
# The last slot of a scene rotates through these, so every built-in kind of node is on the canvas.
EXTRA_NODES = ("MotionSourceNode", "VideoRestorationNode", "VSEAssemblerNode")
SCENE = ("PipelineNode", "AssetNode", "AssetNode", "AudioNode", *["ShotNode"] * SHOTS_PER_SCENE,
         "SuperResolutionNode", "SequenceNode", "extra")  # fmt: skip
COLUMNS = 2 * len(SCENE)
# A ShotNode is about 290 px wide and up to ~480 px tall with every input connected.
CELL = (340, 540)
PROMPTS = (
    "the lighthouse keeper climbs the spiral stair, lantern swinging, rain on the glass",
    "wide shot: storm clouds roll over the headland at dusk, the beam sweeps the sea",
    "close-up on weathered hands trimming the wick, warm light, shallow depth of field",
    "a fishing boat fights the swell, seen from the gallery rail, spray in the lens",
    "dawn: the storm has passed, gulls over flat grey water, the lamp still turning",
)


@dataclass(frozen=True)
class Ports:
    inputs: dict[str, tuple[SocketType, bool]]  # name -> (socket type, accepts several links)
    outputs: dict[str, SocketType]


def ports_of(node_types: list[Json]) -> dict[str, Ports]:
    """Socket names and types of each node type, from GET /api/v1/node-types."""
    return {
        t["id"]: Ports(
            inputs={p["name"]: (SocketType(p["type"]), bool(p.get("multiple"))) for p in t["inputs"]},
            outputs={p["name"]: SocketType(p["type"]) for p in t["outputs"]},
        )
        for t in node_types
    }


def _node_data(node_type: str, index: int, scene: int, slot: int, shot: int, pipelines: list[str]) -> Json:
    if node_type == "ShotNode":
        # SHOT-0010 … SHOT-9990: the schema allows four digits, so a huge graph wraps around.
        number = (shot % 999 + 1) * 10
        return {"shot_id": f"SHOT-{number:04d}", "prompt": f"{PROMPTS[shot % len(PROMPTS)]} (shot {shot + 1})",
                "seed": 1000 + index, "task_type": "generate-image"}  # fmt: skip
    if node_type == "PipelineNode":
        return {"pipeline_id": pipelines[scene % len(pipelines)]}
    if node_type == "AssetNode":
        kind = "character" if slot == 1 else "style"
        return {"path": f"01_Assets/{kind}s/scene-{scene:03d}.png", "name": f"{kind} {scene}", "kind": kind}
    if node_type == "AudioNode":
        return {"text": f"Scene {scene + 1}: the wind, the bell, the keeper's voice.", "speed": 1.0}
    if node_type == "SequenceNode":
        return {"fps": 24}
    if node_type == "MotionSourceNode":
        return {"source_video": f"01_Assets/reference/scene-{scene:03d}.mp4"}
    return {}


def build_nodes(count: int, pipelines: list[str]) -> list[Json]:
    nodes = []
    shots = 0
    for index in range(count):
        scene, slot = divmod(index, len(SCENE))
        node_type = SCENE[slot] if SCENE[slot] != "extra" else EXTRA_NODES[scene % len(EXTRA_NODES)]
        column, row = index % COLUMNS, index // COLUMNS
        nodes.append({
            "id": f"s{scene:03d}-{slot:02d}-{node_type.removesuffix('Node').lower()}",
            "type": node_type,
            "position": {"x": column * CELL[0], "y": row * CELL[1]},
            "data": _node_data(node_type, index, scene, slot, shots, pipelines),
        })  # fmt: skip
        shots += node_type == "ShotNode"
    return nodes


def _scene_wiring(scene: list[Json]) -> Iterator[tuple[Json, str, Json, str]]:
    """(source, output, target, input) in the order a user wires a scene; missing nodes are skipped."""
    by_slot = dict(enumerate(scene))
    shots = [n for n in scene if n["type"] == "ShotNode"]
    pipeline, character, style, audio = (by_slot.get(i) for i in range(4))
    upscale, sequence, extra = (by_slot.get(len(SCENE) - 3 + i) for i in range(3))
    for shot in shots:
        yield pipeline, "pipeline", shot, "pipeline"
    for shot in shots[1:]:
        yield shot, "video", sequence, "clips"
    yield audio, "audio", sequence, "audio"
    if shots:
        yield shots[0], "video", upscale, "video"
        yield upscale, "video", sequence, "clips"
    if extra and extra["type"] == "MotionSourceNode":
        yield extra, "motion", shots[-1] if shots else None, "motion"
    elif extra and extra["type"] == "VideoRestorationNode":
        yield shots[-1] if shots else None, "video", extra, "video"
    elif extra:
        yield sequence, "edl", extra, "sequence"
    for shot in shots:
        yield character, "asset", shot, "character"
    for shot in shots:
        yield style, "asset", shot, "style"
    for earlier, later in itertools.pairwise(shots):
        yield earlier, "image", later, "image"
    for shot in shots:
        yield audio, "audio", shot, "audio"


def build_edges(nodes: list[Json], count: int, ports: dict[str, Ports]) -> list[Json]:
    scenes = [nodes[i : i + len(SCENE)] for i in range(0, len(nodes), len(SCENE))]
    wirings = [_scene_wiring(scene) for scene in scenes]
    edges: list[Json] = []
    taken: set[tuple[str, str]] = set()
    # One link per scene per round: a budget smaller than the wiring drops the same links everywhere.
    for links in itertools.zip_longest(*wirings):
        for link in links:
            if len(edges) == count:
                return edges
            if link is None or link[0] is None or link[2] is None:
                continue
            source, output, target, handle = link
            out_type = ports[source["type"]].outputs[output]
            in_type, multiple = ports[target["type"]].inputs[handle]
            if not can_feed(out_type, in_type) or (not multiple and (target["id"], handle) in taken):
                continue
            taken.add((target["id"], handle))
            edges.append({"id": f"e{len(edges):05d}", "source": source["id"], "sourceHandle": output,
                          "target": target["id"], "targetHandle": handle})  # fmt: skip
    if len(edges) < count:
        raise ValueError(f"{len(nodes)} nodes hold at most {len(edges)} valid edges, not {count}; ask for fewer edges.")
    return edges


def project_graph(node_count: int, edge_count: int, node_types: list[Json], pipelines: list[str]) -> Json:
    nodes = build_nodes(node_count, pipelines or ["cpu-storyboard"])
    return {"schema_version": 1, "nodes": nodes, "edges": build_edges(nodes, edge_count, ports_of(node_types))}
