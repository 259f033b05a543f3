import { describe, expect, it, vi } from "vitest";
import type { Ack, ClientEventName } from "../realtime";
import { NodeCatalogue } from "./catalogue.svelte";
import { fakeServer, flush, NODE_TYPES } from "./fixtures";
import { GraphStore } from "./graph.svelte";
import { Notices } from "./notices.svelte";

/** A graph at version 1 behind a fake server. */
function setup(answer?: (event: ClientEventName, payload: Record<string, unknown>) => Ack) {
  const { connection, sent } = fakeServer(answer);
  const notices = new Notices();
  const resync = vi.fn();
  const graph = new GraphStore({
    catalogue: new NodeCatalogue(NODE_TYPES),
    notices,
    connection: () => connection,
    resync,
    versionChanged: () => undefined,
  });
  graph.replace({ nodes: [], edges: [] }, 1);
  return { graph, sent, notices, resync };
}

describe("GraphStore edits", () => {
  it("applies edits at once and sends them in order, each with the version before it", async () => {
    const { graph, sent } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = graph.addNode("PipelineNode", { x: -300, y: 0 })!;
    expect(graph.nodes.map((n) => n.id)).toEqual([shot, pipe]);
    expect(graph.nodes[0].data).toEqual({ prompt: "", shot_id: "SHOT-010" });
    expect(
      graph.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" }),
    ).toBe(true);
    expect(graph.edges).toHaveLength(1);
    await flush(3);
    expect(sent.map(([e, p]) => [e, p.version])).toEqual([
      ["client:add_node", 1],
      ["client:add_node", 2],
      ["client:add_edge", 3],
    ]);
    expect(graph.version).toBe(4);
  });

  it("refuses an incompatible connection without sending it", () => {
    const { graph, sent, notices } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = graph.addNode("PipelineNode", { x: 0, y: 0 })!;
    expect(graph.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "prompt" })).toBe(
      false,
    );
    expect(graph.edges).toEqual([]);
    expect(notices.list.at(-1)?.message).toMatch(/cannot feed/);
    expect(sent.filter(([e]) => e === "client:add_edge")).toEqual([]);
  });

  it("edits a node's data without replacing the edges", () => {
    const { graph } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = graph.addNode("PipelineNode", { x: -300, y: 0 })!;
    graph.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" });
    const edges = graph.edges;
    graph.updateNodeData(shot, { prompt: "a lighthouse" });
    graph.moveNodes([{ node_id: pipe, position: { x: -400, y: 0 } }]);
    expect(graph.edges).toBe(edges);
    graph.remove([pipe]);
    expect(graph.edges).toEqual([]);
    expect(graph.incoming.get(shot)).toBeUndefined();
  });

  it("deletes nodes and edges as one edit, and undo and redo replay it as one edit each", async () => {
    const { graph, sent } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = graph.addNode("PipelineNode", { x: -300, y: 0 })!;
    graph.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" });
    await flush();
    sent.length = 0;
    graph.remove([pipe], [graph.edges[0].id]);
    expect(graph.nodes.map((n) => n.id)).toEqual([shot]);
    expect(graph.edges).toEqual([]);
    graph.undo();
    expect(graph.nodes.map((n) => n.id).sort()).toEqual([shot, pipe].sort());
    expect(graph.edges.map((e) => [e.source, e.target])).toEqual([[pipe, shot]]);
    expect(graph.canRedo).toBe(true);
    graph.redo();
    expect(graph.nodes.map((n) => n.id)).toEqual([shot]);
    await flush(6);
    expect(sent.map(([e]) => e)).toEqual(["client:remove_nodes", "client:apply_ops", "client:remove_nodes"]);
    // The edge went with its node, so the delete is the node alone; the undo adds the node and the edge back.
    expect(sent[0][1].node_ids).toEqual([pipe]);
    const undo = sent[1][1].ops as { op: string }[];
    expect(undo.map((op) => op.op)).toEqual(["add_node", "add_edge"]);
  });

  it("undoes a burst of typing as one step, back to the text before it", async () => {
    const { graph, sent } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    graph.updateNodeData(shot, { prompt: "a" });
    graph.updateNodeData(shot, { prompt: "a lighthouse" });
    graph.undo();
    expect(graph.nodes[0].data.prompt).toBe("");
    await flush(4);
    const last = sent.at(-1)!;
    expect(last[0]).toBe("client:update_node_data");
    expect(last[1].data).toEqual({ prompt: "" });
    graph.undo();
    expect(graph.nodes).toEqual([]);
    expect(graph.canUndo).toBe(false);
  });

  it("forgets the history when the server refuses an undo, and resyncs", async () => {
    const { graph, notices, resync } = setup((event) =>
      event === "client:remove_nodes"
        ? { ok: false, error: { code: "graph_edit", message: "There is no node 'x'." } }
        : { ok: true, version: 2 },
    );
    graph.addNode("ShotNode", { x: 0, y: 0 });
    graph.addNode("ShotNode", { x: 400, y: 0 });
    graph.undo();
    await flush(6);
    expect(graph.canUndo).toBe(false);
    expect(graph.canRedo).toBe(false);
    expect(notices.list.at(-1)?.message).toMatch(/^Undo failed: the canvas changed meanwhile\. There is no node/);
    expect(resync).toHaveBeenCalledTimes(1);
  });

  it("pastes a copy as new, selected nodes in one atomic edit", async () => {
    const { graph, sent } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    const pipe = graph.addNode("PipelineNode", { x: -300, y: 0 })!;
    graph.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" });
    expect(graph.copy([shot, pipe])).toBe(2);
    const pasted = graph.paste({ x: 0, y: 500 });
    expect(pasted).toHaveLength(2);
    expect(graph.nodes).toHaveLength(4);
    expect(
      graph.nodes
        .filter((n) => n.selected)
        .map((n) => n.id)
        .sort(),
    ).toEqual([...pasted].sort());
    expect(graph.nodes.find((n) => n.id === pasted.find((id) => id.startsWith("shot")))?.data.shot_id).toBe("SHOT-020");
    expect(graph.edges).toHaveLength(2);
    await flush(6);
    const [event, payload] = sent.at(-1)!;
    expect(event).toBe("client:apply_ops");
    expect((payload.ops as { op: string }[]).map((op) => op.op)).toEqual(["add_node", "add_node", "add_edge"]);
  });

  it("sends the typing of a node, merged, once asked to settle", async () => {
    const { graph, sent } = setup();
    const shot = graph.addNode("ShotNode", { x: 0, y: 0 })!;
    graph.updateNodeData(shot, { prompt: "a light" });
    graph.updateNodeData(shot, { prompt: "a lighthouse" });
    expect(graph.nodes[0].data.prompt).toBe("a lighthouse");
    await graph.settled(shot);
    const updates = sent.filter(([e]) => e === "client:update_node_data");
    expect(updates.map(([, p]) => p.data)).toEqual([{ prompt: "a lighthouse" }]);
  });
});

describe("GraphStore and the server's state", () => {
  it("applies the next patch, resyncs on a gap, and a full sync replaces the state", () => {
    const { graph, resync } = setup();
    const node = { id: "n1", type: "ShotNode", position: { x: 0, y: 0 }, data: { shot_id: "SHOT-010" } };
    graph.receivePatch({ ops: [{ op: "add_node", node }], version: 2, origin: "x" });
    expect(graph.nodes.map((n) => n.id)).toEqual(["n1"]);
    expect(graph.version).toBe(2);
    graph.receivePatch({ ops: [{ op: "remove_nodes", node_ids: ["n1"] }], version: 9, origin: "x" });
    expect(graph.nodes).toHaveLength(1);
    expect(resync).toHaveBeenCalledTimes(1);
    graph.replace({ nodes: [], edges: [] }, 9);
    expect(graph.nodes).toEqual([]);
    expect(graph.version).toBe(9);
  });

  it("applies a batch of patches past its version as one change, and resyncs once on a gap", () => {
    const { graph, resync } = setup();
    const shot = (id: string) => ({ id, type: "ShotNode", position: { x: 0, y: 0 }, data: { shot_id: id } });
    const add = (id: string, version: number) => ({
      ops: [{ op: "add_node" as const, node: shot(id) }],
      version,
      origin: "x",
    });
    graph.receivePatch(add("a", 2));
    // A full sync at version 2 arrived first: the batch's version 2 is in it, versions 3 and 4 are applied.
    graph.receivePatches([add("a", 2), add("b", 3), add("c", 4)]);
    expect(graph.nodes.map((n) => n.id)).toEqual(["a", "b", "c"]);
    expect(graph.version).toBe(4);
    expect(resync).not.toHaveBeenCalled();
    // Version 5 is missing: nothing of the batch is applied, one resync.
    graph.receivePatches([add("f", 6), add("g", 7)]);
    expect(graph.nodes.map((n) => n.id)).toEqual(["a", "b", "c"]);
    expect(graph.version).toBe(4);
    expect(resync).toHaveBeenCalledTimes(1);
  });

  it("keeps the objects of unchanged nodes and edges through a full sync, and the selection", () => {
    const { graph } = setup();
    const document = {
      nodes: [
        { id: "p", type: "PipelineNode", position: { x: 0, y: 0 }, data: { pipeline_id: "cpu-storyboard" } },
        { id: "s", type: "ShotNode", position: { x: 400, y: 0 }, data: { shot_id: "SHOT-010", prompt: "a" } },
      ],
      edges: [{ id: "e", source: "p", sourceHandle: "pipeline", target: "s", targetHandle: "pipeline" }],
    };
    graph.replace(structuredClone(document), 2);
    graph.nodes = graph.nodes.map((n) => (n.id === "p" ? { ...n, selected: true } : n));
    const [pipe, shot] = graph.nodes;
    const [edge] = graph.edges;
    document.nodes[1].data.prompt = "b";
    graph.replace(structuredClone(document), 3);
    expect(graph.nodes[0]).toBe(pipe);
    expect(graph.nodes[0].selected).toBe(true);
    expect(graph.nodes[1]).not.toBe(shot);
    expect(graph.nodes[1].data.prompt).toBe("b");
    expect(graph.edges[0]).toBe(edge);
    expect(edge.style).toMatch(/stroke: #f2994a/);
    expect(graph.incoming.get("s")).toEqual(new Set(["pipeline"]));
  });

  it("skips a full sync of the version it shows unless it made an edit of its own since", () => {
    const { graph } = setup();
    const document = {
      nodes: [{ id: "s", type: "ShotNode", position: { x: 0, y: 0 }, data: { shot_id: "SHOT-010" } }],
      edges: [],
    };
    graph.replace(structuredClone(document), 2);
    const [nodes, edges] = [graph.nodes, graph.edges];
    // The socket's sync right after the REST read: the same graph, nothing handed to Svelte Flow again.
    graph.replace(structuredClone(document), 2);
    expect(graph.nodes).toBe(nodes);
    expect(graph.edges).toBe(edges);
    // An edit of its own, not yet acknowledged (the sync dropped it): the server's state at version 2 replaces it.
    graph.addNode("ShotNode", { x: 0, y: 500 });
    expect(graph.nodes).toHaveLength(2);
    graph.replace(structuredClone(document), 2);
    expect(graph.nodes.map((n) => n.id)).toEqual(["s"]);
    const synced = graph.nodes;
    graph.replace(structuredClone(document), 2);
    expect(graph.nodes).toBe(synced);
  });

  it("hides the members of a collapsed scene and draws groups under their nodes", () => {
    const { graph } = setup();
    graph.replace(
      {
        nodes: [
          { id: "s", type: "ShotNode", position: { x: 10, y: 40 }, parentId: "g", data: {} },
          { id: "free", type: "ShotNode", position: { x: 900, y: 0 }, data: {} },
          {
            id: "g",
            type: "SceneGroupNode",
            position: { x: 0, y: 0 },
            width: 500,
            height: 300,
            data: { collapsed: true },
          },
        ],
        edges: [],
      },
      3,
    );
    expect(graph.nodes.map((n) => n.id)).toEqual(["g", "s", "free"]);
    expect(graph.nodes.map((n) => Boolean(n.hidden))).toEqual([false, true, false]);
    expect(graph.nodes[0].class).toBe("collapsed");
    graph.receivePatch({
      version: 4,
      origin: "x",
      ops: [{ op: "update_node_data", node_id: "g", data: { collapsed: false } }],
    });
    expect(graph.nodes.map((n) => Boolean(n.hidden))).toEqual([false, false, false]);
    expect(graph.nodes[0].class).toBeUndefined();
  });
});
