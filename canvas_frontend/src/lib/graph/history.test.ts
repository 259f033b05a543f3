import { describe, expect, it } from "vitest";
import { History, inverseOps } from "./history";
import type { GraphOp } from "../types/contracts";
import { applyOps, parentsFirst, type Graph } from "./ops";

const graph: Graph = {
  nodes: [
    { id: "g", type: "SceneGroupNode", position: { x: 0, y: 0 }, data: { scene: "SCENE_01" }, width: 600, height: 400 },
    { id: "a", type: "ShotNode", position: { x: 20, y: 40 }, data: { prompt: "dawn", seed: 3 }, parentId: "g" },
    { id: "b", type: "PipelineNode", position: { x: -400, y: 0 }, data: {} },
  ],
  edges: [{ id: "e1", source: "b", target: "a", sourceHandle: "pipeline", targetHandle: "pipeline" }],
};

const byId = (g: Graph): Graph => ({
  nodes: [...g.nodes].sort((a, b) => a.id.localeCompare(b.id)),
  edges: [...g.edges].sort((a, b) => a.id.localeCompare(b.id)),
});

/** Applying ops and then their inverse gives back the graph (up to order, which the canvas sorts). */
function roundTrip(ops: GraphOp[]): Graph {
  const after = applyOps(graph, ops);
  return byId(applyOps(after, inverseOps(graph, ops)));
}

describe("inverseOps", () => {
  it("undoes a removal with everything the removed group held, edges included", () => {
    const ops: GraphOp[] = [{ op: "remove_nodes", node_ids: ["g"] }];
    expect(applyOps(graph, ops).nodes.map((n) => n.id)).toEqual(["b"]);
    expect(inverseOps(graph, ops).map((op) => op.op)).toEqual(["add_node", "add_node", "add_edge"]);
    expect(roundTrip(ops)).toEqual(byId(graph));
  });

  it("undoes a data edit key by key, removing keys the edit added", () => {
    const ops: GraphOp[] = [
      { op: "update_node_data", node_id: "a", data: { prompt: "dusk", label: "wide", seed: null } },
    ];
    expect(inverseOps(graph, ops)).toEqual([
      { op: "update_node_data", node_id: "a", data: { prompt: "dawn", label: null, seed: 3 } },
    ]);
    expect(roundTrip(ops)).toEqual(byId(graph));
  });

  it("undoes moves, regrouping and resizing", () => {
    const ops: GraphOp[] = [
      {
        op: "move_nodes",
        moves: [
          { node_id: "a", position: { x: 500, y: 500 }, parentId: null },
          { node_id: "b", position: { x: 30, y: 30 }, parentId: "g" },
          { node_id: "g", position: { x: 10, y: 10 }, width: 900, height: 700 },
        ],
      },
    ];
    const after = applyOps(graph, ops);
    expect(after.nodes.find((n) => n.id === "a")!.parentId).toBeUndefined();
    expect(after.nodes.find((n) => n.id === "b")!.parentId).toBe("g");
    expect(after.nodes.find((n) => n.id === "g")!.width).toBe(900);
    expect(roundTrip(ops)).toEqual(byId(graph));
  });

  it("undoes a sequence in reverse order: add a node, connect it, then remove the edge", () => {
    const ops: GraphOp[] = [
      { op: "add_node", node: { id: "c", type: "ShotNode", position: { x: 0, y: 600 }, data: {} } },
      {
        op: "add_edge",
        edge: { id: "e2", source: "b", target: "c", sourceHandle: "pipeline", targetHandle: "pipeline" },
      },
      { op: "remove_edges", edge_ids: ["e1"] },
    ];
    expect(inverseOps(graph, ops).map((op) => op.op)).toEqual(["add_edge", "remove_edges", "remove_nodes"]);
    expect(roundTrip(ops)).toEqual(byId(graph));
  });

  it("restores what the server stores, without the canvas's view state", () => {
    const shown: Graph = {
      nodes: [{ ...graph.nodes[2], selected: true, measured: { width: 240, height: 120 } } as Graph["nodes"][0]],
      edges: [{ ...graph.edges[0], style: "stroke: red", selected: true } as Graph["edges"][0]],
    };
    expect(inverseOps(shown, [{ op: "remove_nodes", node_ids: ["b"] }])).toEqual([
      { op: "add_node", node: graph.nodes[2] },
      { op: "add_edge", edge: graph.edges[0] },
    ]);
  });

  it("has nothing to undo for an op that changed nothing", () => {
    expect(inverseOps(graph, [{ op: "add_node", node: graph.nodes[2] }])).toEqual([]);
    expect(inverseOps(graph, [{ op: "update_node_data", node_id: "zz", data: { a: 1 } }])).toEqual([]);
  });
});

describe("parentsFirst", () => {
  it("puts every parent before its children and keeps the order otherwise", () => {
    const nodes = [
      { id: "child", type: "ShotNode", position: { x: 0, y: 0 }, data: {}, parentId: "mid" },
      { id: "free", type: "ShotNode", position: { x: 0, y: 0 }, data: {} },
      { id: "mid", type: "ShotNode", position: { x: 0, y: 0 }, data: {}, parentId: "top" },
      { id: "top", type: "ShotNode", position: { x: 0, y: 0 }, data: {} },
    ];
    expect(parentsFirst(nodes).map((n) => n.id)).toEqual(["free", "top", "mid", "child"]);
  });
});

describe("History", () => {
  const change = (n: number, key?: string, at = 0) => ({
    forward: [{ op: "remove_edges", edge_ids: [`f${n}`] }] as GraphOp[],
    backward: [{ op: "remove_edges", edge_ids: [`b${n}`] }] as GraphOp[],
    key,
    at,
  });

  it("undoes last-in first-out, redoes what was undone, and forgets redo after a new edit", () => {
    const history = new History();
    history.record(change(1));
    history.record(change(2));
    expect(history.undo()?.backward).toEqual(change(2).backward);
    expect(history.canRedo).toBe(true);
    expect(history.redo()?.forward).toEqual(change(2).forward);
    history.undo();
    history.record(change(3));
    expect(history.canRedo).toBe(false);
    expect(history.undo()?.forward).toEqual(change(3).forward);
    expect(history.undo()?.forward).toEqual(change(1).forward);
    expect(history.undo()).toBeUndefined();
  });

  it("merges keystrokes into one step when they come close together, not when they are apart", () => {
    const history = new History();
    history.record(change(1, "data:a", 0));
    history.record(change(2, "data:a", 500));
    history.record(change(3, "data:a", 5000));
    expect(history.undo()?.forward).toEqual(change(3).forward);
    const merged = history.undo()!;
    expect(merged.forward.map((op) => (op as { edge_ids: string[] }).edge_ids[0])).toEqual(["f1", "f2"]);
    expect(merged.backward.map((op) => (op as { edge_ids: string[] }).edge_ids[0])).toEqual(["b2", "b1"]);
    expect(history.canUndo).toBe(false);
  });

  it("merges a burst of edits to one node's data into one update each way", () => {
    const history = new History();
    const typed = (from: string, to: string, at: number) => ({
      forward: [{ op: "update_node_data", node_id: "a", data: { prompt: to } }] as GraphOp[],
      backward: [{ op: "update_node_data", node_id: "a", data: { prompt: from } }] as GraphOp[],
      key: "data:a",
      at,
    });
    history.record(typed("", "a", 0));
    history.record(typed("a", "ab", 100));
    const step = history.undo()!;
    expect(step.forward).toEqual([{ op: "update_node_data", node_id: "a", data: { prompt: "ab" } }]);
    expect(step.backward).toEqual([{ op: "update_node_data", node_id: "a", data: { prompt: "" } }]);
  });
});
