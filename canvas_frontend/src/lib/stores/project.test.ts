import { describe, expect, it } from "vitest";
import type { NodeType } from "../types/contracts";
import type { Ack, RealtimeHandlers } from "../realtime";
import { ProjectStore } from "./project.svelte";

const shotType: NodeType = {
  id: "ShotNode",
  version: "1.0.0",
  title: "Shot",
  category: "Generate",
  origin: "builtin",
  executor: "pipeline",
  inputs: [{ name: "pipeline", type: "PipelineReference" }, { name: "prompt", type: "String", widget: "textarea", default: "" }],
  outputs: [{ name: "image", type: "Image" }],
  params: { type: "object", properties: { shot_id: { type: "string" }, version: { type: "integer", default: 1 } } },
};
const pipeType: NodeType = {
  id: "PipelineNode",
  version: "1.0.0",
  title: "Pipeline",
  category: "Source",
  origin: "builtin",
  executor: "none",
  inputs: [],
  outputs: [{ name: "pipeline", type: "PipelineReference" }],
  params: {},
};

/** A fake server: acknowledges every edit with the next version, records what was sent. */
function setup(answer?: (event: string, payload: Record<string, unknown>) => Ack) {
  const sent: [string, Record<string, unknown>][] = [];
  let serverVersion = 1;
  let handlers!: RealtimeHandlers;
  const store = new ProjectStore("p1", [shotType, pipeType]);
  store.connect((h) => {
    handlers = h;
    return {
      async emit(event: string, payload: object) {
        sent.push([event, payload as Record<string, unknown>]);
        if (answer) return answer(event, payload as Record<string, unknown>);
        if (event === "client:sync_request" || event === "client:start_generation") return { ok: true, task_id: "t1" };
        serverVersion += 1;
        return { ok: true, version: serverVersion };
      },
      close() {},
    };
  });
  store.replace({ nodes: [], edges: [] }, 1);
  return { store, sent, handlers: () => handlers };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("ProjectStore", () => {
  it("applies edits at once and sends them in order, each with the version before it", async () => {
    const { store, sent } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = store.addNode("PipelineNode", { x: -300, y: 0 })!;
    expect(store.nodes.map((n) => n.id)).toEqual([shot, pipe]);
    expect(store.nodes[0].data).toEqual({ prompt: "", shot_id: "SHOT-010" });
    expect(store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" })).toBe(true);
    expect(store.edges).toHaveLength(1);
    await flush();
    await flush();
    await flush();
    expect(sent.map(([e, p]) => [e, p.version])).toEqual([
      ["client:add_node", 1],
      ["client:add_node", 2],
      ["client:add_edge", 3],
    ]);
    expect(store.version).toBe(4);
  });

  it("refuses an incompatible connection without sending it", () => {
    const { store, sent } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = store.addNode("PipelineNode", { x: 0, y: 0 })!;
    expect(store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "prompt" })).toBe(false);
    expect(store.edges).toEqual([]);
    expect(store.notices.at(-1)?.message).toMatch(/cannot feed/);
    expect(sent.filter(([e]) => e === "client:add_edge")).toEqual([]);
  });

  it("debounces typing into one merged update, flushed before generating", async () => {
    const { store, sent } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    store.updateNodeData(shot, { prompt: "a light" });
    store.updateNodeData(shot, { prompt: "a lighthouse" });
    expect(store.nodes[0].data.prompt).toBe("a lighthouse");
    await store.startGeneration(shot);
    const updates = sent.filter(([e]) => e === "client:update_node_data");
    expect(updates).toHaveLength(1);
    expect(updates[0][1].data).toEqual({ prompt: "a lighthouse" });
    expect(sent.at(-1)![0]).toBe("client:start_generation");
  });

  it("applies the next patch, resyncs on a gap, and a full sync replaces the state", () => {
    const { store, sent, handlers } = setup();
    const node = { id: "n1", type: "ShotNode", position: { x: 0, y: 0 }, data: { shot_id: "SHOT-010" } };
    handlers().event("server:graph_patch", { ops: [{ op: "add_node", node }], version: 2, origin: "x" });
    expect(store.nodes.map((n) => n.id)).toEqual(["n1"]);
    expect(store.version).toBe(2);
    handlers().event("server:graph_patch", { ops: [{ op: "remove_nodes", node_ids: ["n1"] }], version: 9, origin: "x" });
    expect(store.nodes).toHaveLength(1);
    expect(sent.at(-1)![0]).toBe("client:sync_request");
    handlers().event("server:full_sync", { graph: { nodes: [], edges: [] }, version: 9 });
    expect(store.nodes).toEqual([]);
    expect(store.version).toBe(9);
  });

  it("asks for a full sync on a conflict and after every (re)connect", () => {
    const { store, sent, handlers } = setup();
    handlers().event("server:conflict", { version: 5 });
    expect(sent.at(-1)![0]).toBe("client:sync_request");
    expect(store.notices.at(-1)?.level).toBe("warning");
    sent.length = 0;
    handlers().connected();
    expect(sent.map(([e]) => e)).toEqual(["client:sync_request"]);
  });

  it("follows a generation: state, progress, success with its thumbnail, takes", () => {
    const { store, handlers } = setup();
    handlers().event("server:node_state_updated", { node_id: "s", state: "generating", task_id: "t" });
    handlers().event("server:task_progress", { node_id: "s", task_id: "t", progress: 40, step: "Drawing" });
    expect(store.runtime.s).toMatchObject({ state: "generating", progress: 40, step: "Drawing" });
    handlers().event("server:task_success", {
      node_id: "s",
      task_id: "t",
      result: { output_url: "/f/take.png", take: { thumbnail_url: "/f/thumb.jpg" } },
    });
    expect(store.runtime.s.state).toBe("done");
    expect(store.runtime.s.latest).toEqual({ url: "/f/take.png", thumbnail_url: "/f/thumb.jpg" });
    handlers().event("server:takes_updated", { node_id: "s", takes: [{ path: "a.png", take: 1, url: "/a", thumbnail_url: null }] });
    expect(store.runtime.s.takes).toHaveLength(1);
  });

  it("deletes nodes and edges as one edit, and undo and redo replay it as one edit each", async () => {
    const { store, sent } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = store.addNode("PipelineNode", { x: -300, y: 0 })!;
    store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" });
    await flush();
    sent.length = 0;
    store.remove([pipe], [store.edges[0].id]);
    expect(store.nodes.map((n) => n.id)).toEqual([shot]);
    expect(store.edges).toEqual([]);
    store.undo();
    expect(store.nodes.map((n) => n.id).sort()).toEqual([shot, pipe].sort());
    expect(store.edges.map((e) => [e.source, e.target])).toEqual([[pipe, shot]]);
    expect(store.canRedo).toBe(true);
    store.redo();
    expect(store.nodes.map((n) => n.id)).toEqual([shot]);
    for (let i = 0; i < 6; i++) await flush();
    expect(sent.map(([e]) => e)).toEqual(["client:remove_nodes", "client:apply_ops", "client:remove_nodes"]);
    // The edge went with its node, so the delete is the node alone; the undo adds the node and the edge back.
    expect(sent[0][1].node_ids).toEqual([pipe]);
    const undo = sent[1][1].ops as { op: string }[];
    expect(undo.map((op) => op.op)).toEqual(["add_node", "add_edge"]);
  });

  it("undoes a burst of typing as one step, back to the text before it", async () => {
    const { store, sent } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    store.updateNodeData(shot, { prompt: "a" });
    store.updateNodeData(shot, { prompt: "a lighthouse" });
    store.undo();
    expect(store.nodes[0].data.prompt).toBe("");
    for (let i = 0; i < 4; i++) await flush();
    const last = sent.at(-1)!;
    expect(last[0]).toBe("client:update_node_data");
    expect(last[1].data).toEqual({ prompt: "" });
    store.undo();
    expect(store.nodes).toEqual([]);
    expect(store.canUndo).toBe(false);
  });

  it("pastes a copy as new, selected nodes in one atomic edit", async () => {
    const { store, sent } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = store.addNode("PipelineNode", { x: -300, y: 0 })!;
    store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" });
    expect(store.copy([shot, pipe])).toBe(2);
    const pasted = store.paste({ x: 0, y: 500 });
    expect(pasted).toHaveLength(2);
    expect(store.nodes).toHaveLength(4);
    expect(store.nodes.filter((n) => n.selected).map((n) => n.id).sort()).toEqual([...pasted].sort());
    expect(store.nodes.find((n) => n.id === pasted.find((id) => id.startsWith("shot")))?.data.shot_id).toBe("SHOT-020");
    expect(store.edges).toHaveLength(2);
    for (let i = 0; i < 6; i++) await flush();
    const [event, payload] = sent.at(-1)!;
    expect(event).toBe("client:apply_ops");
    expect((payload.ops as { op: string }[]).map((op) => op.op)).toEqual(["add_node", "add_node", "add_edge"]);
  });

  it("forgets the history when the server refuses an undo, and resyncs", async () => {
    const { store, sent } = setup((event) =>
      event === "client:remove_nodes"
        ? { ok: false, error: { code: "graph_edit", message: "There is no node 'x'." } }
        : { ok: true, version: 2 },
    );
    store.addNode("ShotNode", { x: 0, y: 0 });
    store.addNode("ShotNode", { x: 400, y: 0 });
    store.undo();
    for (let i = 0; i < 6; i++) await flush();
    expect(store.canUndo).toBe(false);
    expect(store.canRedo).toBe(false);
    expect(store.notices.at(-1)?.message).toMatch(/^Undo failed: the canvas changed meanwhile\. There is no node/);
    expect(sent.at(-1)![0]).toBe("client:sync_request");
  });

  it("hides the members of a collapsed scene and draws groups under their nodes", () => {
    const { store, handlers } = setup();
    handlers().event("server:full_sync", {
      version: 3,
      graph: {
        nodes: [
          { id: "s", type: "ShotNode", position: { x: 10, y: 40 }, parentId: "g", data: {} },
          { id: "free", type: "ShotNode", position: { x: 900, y: 0 }, data: {} },
          { id: "g", type: "SceneGroupNode", position: { x: 0, y: 0 }, width: 500, height: 300, data: { collapsed: true } },
        ],
        edges: [],
      },
    });
    expect(store.nodes.map((n) => n.id)).toEqual(["g", "s", "free"]);
    expect(store.nodes.map((n) => Boolean(n.hidden))).toEqual([false, true, false]);
    expect(store.nodes[0].class).toBe("collapsed");
    handlers().event("server:graph_patch", {
      version: 4,
      origin: "x",
      ops: [{ op: "update_node_data", node_id: "g", data: { collapsed: false } }],
    });
    expect(store.nodes.map((n) => Boolean(n.hidden))).toEqual([false, false, false]);
    expect(store.nodes[0].class).toBeUndefined();
  });
});
