import { describe, expect, it } from "vitest";
import { copyNodes, parseClip, pasteOps } from "./clipboard";
import { applyOps, type Graph } from "./ops";

const graph: Graph = {
  nodes: [
    {
      id: "g",
      type: "SceneGroupNode",
      position: { x: 100, y: 100 },
      data: { scene: "SCENE_02" },
      width: 600,
      height: 400,
    },
    {
      id: "s1",
      type: "ShotNode",
      position: { x: 20, y: 40 },
      data: { shot_id: "SHOT-010", prompt: "dawn", active_take: "03_Renders/x.png" },
      parentId: "g",
    },
    { id: "p", type: "PipelineNode", position: { x: -300, y: 100 }, data: { pipeline_id: "storyboard" } },
    { id: "s2", type: "ShotNode", position: { x: 500, y: 800 }, data: { shot_id: "SHOT-020" } },
  ],
  edges: [
    { id: "e1", source: "p", target: "s1", sourceHandle: "pipeline", targetHandle: "pipeline" },
    { id: "e2", source: "p", target: "s2", sourceHandle: "pipeline", targetHandle: "pipeline" },
  ],
};
let counter = 0;
const newId = (prefix: string) => `${prefix}-new${++counter}`;

describe("copy and paste", () => {
  it("copies a group with what it holds and only the edges inside the copy", () => {
    const clip = copyNodes(graph, ["g", "p"])!;
    expect(clip.nodes.map((n) => n.id)).toEqual(["g", "s1", "p"]);
    expect(clip.edges.map((e) => e.id)).toEqual(["e1"]);
  });

  it("places a node copied without its group where it is seen on the canvas", () => {
    const clip = copyNodes(graph, ["s1"])!;
    expect(clip.nodes).toHaveLength(1);
    expect(clip.nodes[0].parentId).toBeUndefined();
    expect(clip.nodes[0].position).toEqual({ x: 120, y: 140 });
  });

  it("pastes fresh ids, next shot ids, no takes, remapped edges and parents, at the asked spot", () => {
    counter = 0;
    const clip = copyNodes(graph, ["g", "p"])!;
    const { ops, ids } = pasteOps(clip, graph, { x: 1000, y: 0 }, newId);
    expect(ids).toHaveLength(3);
    const after = applyOps(graph, ops);
    const pasted = after.nodes.filter((n) => ids.includes(n.id));
    const group = pasted.find((n) => n.type === "SceneGroupNode")!;
    const pipe = pasted.find((n) => n.type === "PipelineNode")!;
    const shot = pasted.find((n) => n.type === "ShotNode")!;
    // The clip's top-left corner (x -300 of the pipeline, y 100) lands at (1000, 0).
    expect(pipe.position).toEqual({ x: 1000, y: 0 });
    expect(group.position).toEqual({ x: 1400, y: 0 });
    expect(group.width).toBe(600);
    expect(shot.parentId).toBe(group.id);
    expect(shot.position).toEqual({ x: 20, y: 40 });
    expect(shot.data).toEqual({ shot_id: "SHOT-030", prompt: "dawn" });
    const edge = after.edges.find((e) => e.source === pipe.id)!;
    expect(edge.target).toBe(shot.id);
    expect(after.nodes).toHaveLength(graph.nodes.length + 3);
    expect(new Set(after.nodes.map((n) => n.id)).size).toBe(after.nodes.length);
  });

  it("reads back only text with a clip's shape", () => {
    const clip = copyNodes(graph, ["p"])!;
    expect(parseClip(JSON.stringify(clip))).toEqual(clip);
    expect(parseClip("hello")).toBeNull();
    expect(parseClip(JSON.stringify({ kind: "other", nodes: [], edges: [] }))).toBeNull();
    expect(parseClip(JSON.stringify({ ...clip, nodes: [{ id: 3 }] }))).toBeNull();
    expect(parseClip(null)).toBeNull();
  });
});
