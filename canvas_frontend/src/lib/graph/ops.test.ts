import { describe, expect, it } from "vitest";
import {
  applyOp,
  applyOps,
  freeSpot,
  incomingHandles,
  mergeData,
  nextShotId,
  parentsFirst,
  patchAction,
  sameNode,
  toCanvasNode,
  type Graph,
} from "./ops";

const graph = (): Graph => ({
  nodes: [
    { id: "scene", type: "SceneGroupNode", position: { x: 0, y: 0 }, data: {} },
    {
      id: "shot",
      type: "ShotNode",
      position: { x: 10, y: 10 },
      data: { shot_id: "SHOT-010", prompt: "a" },
      parentId: "scene",
    },
    { id: "pipe", type: "PipelineNode", position: { x: 0, y: 0 }, data: { pipeline_id: "cpu-storyboard" } },
  ],
  edges: [{ id: "e1", source: "pipe", target: "shot", sourceHandle: "pipeline", targetHandle: "pipeline" }],
});

describe("graph ops", () => {
  it("merges data shallowly and removes null keys", () => {
    expect(mergeData({ a: 1, b: 2 }, { b: null, c: 3 })).toEqual({ a: 1, c: 3 });
    const next = applyOp(graph(), { op: "update_node_data", node_id: "shot", data: { prompt: "b", label: null } });
    expect(next.nodes[1].data).toEqual({ shot_id: "SHOT-010", prompt: "b" });
  });

  it("removes nodes with their contained nodes and their edges", () => {
    const next = applyOp(graph(), { op: "remove_nodes", node_ids: ["scene"] });
    expect(next.nodes.map((n) => n.id)).toEqual(["pipe"]);
    expect(next.edges).toEqual([]);
  });

  it("adds, moves and removes, idempotently for repeated adds", () => {
    const node = { id: "n", type: "AudioNode", position: { x: 1, y: 2 }, data: {} };
    const edge = { id: "e2", source: "shot", target: "n", sourceHandle: "image", targetHandle: "x" };
    const next = applyOps(graph(), [
      { op: "add_node", node },
      { op: "add_node", node },
      { op: "move_nodes", moves: [{ node_id: "n", position: { x: 5, y: 6 } }] },
      { op: "add_edge", edge },
      { op: "remove_edges", edge_ids: ["e1"] },
    ]);
    expect(next.nodes.filter((n) => n.id === "n")).toHaveLength(1);
    expect(next.nodes.at(-1)!.position).toEqual({ x: 5, y: 6 });
    expect(next.edges.map((e) => e.id)).toEqual(["e2"]);
  });

  it("moves into a group with parentId, out of it with null, and keeps the group when it is absent", () => {
    const into = applyOp(graph(), {
      op: "move_nodes",
      moves: [{ node_id: "pipe", position: { x: 4, y: 5 }, parentId: "scene" }],
    });
    expect(into.nodes.find((n) => n.id === "pipe")).toEqual({
      id: "pipe",
      type: "PipelineNode",
      position: { x: 4, y: 5 },
      data: { pipeline_id: "cpu-storyboard" },
      parentId: "scene",
    });
    const out = applyOp(into, {
      op: "move_nodes",
      moves: [{ node_id: "shot", position: { x: 1, y: 1 }, parentId: null }],
    });
    expect("parentId" in out.nodes.find((n) => n.id === "shot")!).toBe(false);
    const kept = applyOp(into, { op: "move_nodes", moves: [{ node_id: "pipe", position: { x: 7, y: 7 } }] });
    expect(kept.nodes.find((n) => n.id === "pipe")!.parentId).toBe("scene");
  });

  it("puts a node grouped into a later group, with what it contains, just behind the group (as the server)", () => {
    const next = applyOps(graph(), [
      { op: "add_node", node: { id: "outer", type: "SceneGroupNode", position: { x: 0, y: 0 }, data: {} } },
      { op: "move_nodes", moves: [{ node_id: "scene", position: { x: 10, y: 10 }, parentId: "outer" }] },
    ]);
    expect(next.nodes.map((n) => n.id)).toEqual(["pipe", "outer", "scene", "shot"]);
  });

  it("orders parents first without losing nodes of a loop or with a repeated id", () => {
    const n = (id: string, parentId?: string) => ({
      id,
      type: "ShotNode",
      position: { x: 0, y: 0 },
      data: {},
      ...(parentId ? { parentId } : {}),
    });
    expect(parentsFirst([n("p", "q"), n("q", "p"), n("free")]).map((x) => x.id)).toEqual(["free", "p", "q"]);
    expect(parentsFirst([n("t", "late"), n("t"), n("late")]).map((x) => x.id)).toEqual(["t", "late", "t"]);
    const valid = [n("g"), n("x"), n("child", "g")];
    expect(parentsFirst(valid)).toEqual(valid);
  });

  it("does not mutate its input", () => {
    const before = graph();
    const copy = structuredClone(before);
    applyOp(before, { op: "update_node_data", node_id: "shot", data: { prompt: "z" } });
    expect(before).toEqual(copy);
  });

  it("numbers shots in tens", () => {
    expect(nextShotId([])).toBe("SHOT-010");
    expect(nextShotId(graph().nodes)).toBe("SHOT-020");
  });

  it("tells a patch to apply, ignore or resync by version", () => {
    expect(patchAction(4, 5)).toBe("apply");
    expect(patchAction(4, 4)).toBe("ignore");
    expect(patchAction(4, 7)).toBe("resync");
  });

  it("strips view state from a node for the server", () => {
    const node = { ...graph().nodes[2], selected: true, measured: { width: 1, height: 2 } };
    expect(toCanvasNode(node)).toEqual({
      id: "pipe",
      type: "PipelineNode",
      position: { x: 0, y: 0 },
      data: { pipeline_id: "cpu-storyboard" },
    });
  });
});

describe("graph indexes and comparisons", () => {
  it("indexes each node's connected input handles", () => {
    const edges = [
      ...graph().edges,
      { id: "e2", source: "pipe", target: "shot", sourceHandle: "pipeline", targetHandle: "prompt" },
      { id: "e3", source: "shot", target: "pipe", sourceHandle: "image", targetHandle: null },
    ];
    const incoming = incomingHandles(edges);
    expect(incoming.get("shot")).toEqual(new Set(["pipeline", "prompt"]));
    expect(incoming.has("pipe")).toBe(false);
    expect(incoming.has("scene")).toBe(false);
  });

  it("compares nodes by what the server stores, nested data included, view state not", () => {
    const shot = graph().nodes[1];
    const shown = { ...structuredClone(shot), selected: true, measured: { width: 200, height: 100 } };
    expect(sameNode(shown, shot)).toBe(true);
    const timeline = { ...shot, data: { ...shot.data, timeline: [{ node_id: "a", trim_in: 0 }] } };
    expect(sameNode(timeline, structuredClone(timeline))).toBe(true);
    const trimmed = { ...timeline, data: { ...timeline.data, timeline: [{ node_id: "a", trim_in: 1 }] } };
    expect(sameNode(timeline, trimmed)).toBe(false);
    expect(sameNode(shot, { ...shot, position: { x: 10, y: 11 } })).toBe(false);
    expect(sameNode(shot, { ...shot, parentId: undefined })).toBe(false);
    expect(sameNode(shot, { ...shot, width: 500 })).toBe(false);
    expect(sameNode(shot, { ...shot, data: { ...shot.data, label: "x" } })).toBe(false);
    expect(sameNode({ ...shot, data: { list: [1] } }, { ...shot, data: { list: { 0: 1 } } })).toBe(false);
  });
});

describe("freeSpot", () => {
  it("keeps a free spot and moves off an occupied one", () => {
    expect(freeSpot([], { x: 0, y: 0 })).toEqual({ x: 0, y: 0 });
    const spot = freeSpot([{ id: "a", type: "ShotNode", position: { x: 0, y: 0 }, data: {} }], { x: 10, y: 10 });
    expect(spot).toEqual({ x: -350, y: 10 });
    const next = freeSpot(
      [
        { id: "a", type: "ShotNode", position: { x: 0, y: 0 }, data: {} },
        { id: "b", type: "ShotNode", position: spot, data: {} },
      ],
      { x: 10, y: 10 },
    );
    expect(next).toEqual({ x: 370, y: 10 });
  });

  it("keeps clear of a node as large as it was measured", () => {
    const tall = {
      id: "a",
      type: "ShotNode",
      position: { x: 0, y: 0 },
      data: {},
      measured: { width: 280, height: 600 },
    };
    const size = { width: 300, height: 300 };
    // Below the tall node's top half is still the tall node; the cell under it is free.
    expect(freeSpot([tall], { x: 0, y: 300 }, size)).toEqual({ x: -360, y: 300 });
    expect(freeSpot([tall, { ...tall, id: "b", position: { x: -360, y: 0 } }], { x: 0, y: 300 }, size)).toEqual({
      x: 360,
      y: 300,
    });
    expect(freeSpot([tall], { x: 0, y: 700 }, size)).toEqual({ x: 0, y: 700 });
  });
});
