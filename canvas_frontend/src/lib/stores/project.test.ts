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

  it("keeps the objects of unchanged nodes and edges through a full sync, and the selection", () => {
    const { store, handlers } = setup();
    const graph = {
      nodes: [
        { id: "p", type: "PipelineNode", position: { x: 0, y: 0 }, data: { pipeline_id: "cpu-storyboard" } },
        { id: "s", type: "ShotNode", position: { x: 400, y: 0 }, data: { shot_id: "SHOT-010", prompt: "a" } },
      ],
      edges: [{ id: "e", source: "p", sourceHandle: "pipeline", target: "s", targetHandle: "pipeline" }],
    };
    handlers().event("server:full_sync", { graph: structuredClone(graph), version: 2 });
    store.nodes = store.nodes.map((n) => (n.id === "p" ? { ...n, selected: true } : n));
    const [pipe, shot] = store.nodes;
    const [edge] = store.edges;
    graph.nodes[1].data.prompt = "b";
    handlers().event("server:full_sync", { graph: structuredClone(graph), version: 3 });
    expect(store.nodes[0]).toBe(pipe);
    expect(store.nodes[0].selected).toBe(true);
    expect(store.nodes[1]).not.toBe(shot);
    expect(store.nodes[1].data.prompt).toBe("b");
    expect(store.edges[0]).toBe(edge);
    expect(edge.style).toMatch(/stroke: #f2994a/);
    expect(store.incoming.get("s")).toEqual(new Set(["pipeline"]));
  });

  it("edits a node's data without replacing the edges", () => {
    const { store } = setup();
    const shot = store.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = store.addNode("PipelineNode", { x: -300, y: 0 })!;
    store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" });
    const edges = store.edges;
    store.updateNodeData(shot, { prompt: "a lighthouse" });
    store.moveNodes([{ node_id: pipe, position: { x: -400, y: 0 } }]);
    expect(store.edges).toBe(edges);
    store.removeNodes([pipe]);
    expect(store.edges).toEqual([]);
    expect(store.incoming.get(shot)).toBeUndefined();
  });

  it("loads every shot's takes in one request while the canvas opens, a later node's on its own", async () => {
    const take = (n: number) => ({ path: `t${n}.png`, take: n, url: `/t${n}`, thumbnail_url: null });
    const asked: string[] = [];
    const store = new ProjectStore(
      "p1",
      [shotType],
      async (_project, node) => (asked.push(node), [take(9)]),
      async () => (asked.push("*"), { a: [take(1), take(2)] }),
    );
    await Promise.all([store.loadTakes("a"), store.loadTakes("b")]);
    expect(asked).toEqual(["*"]);
    expect(store.runtime.a.takes?.map((t) => t.take)).toEqual([1, 2]);
    expect(store.runtime.b.takes).toEqual([]);
    await store.loadTakes("c");
    expect(asked).toEqual(["*", "c"]);
    expect(store.runtime.c.takes?.map((t) => t.take)).toEqual([9]);
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
});
