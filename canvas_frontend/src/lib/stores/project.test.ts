import { afterEach, describe, expect, it, vi } from "vitest";
import type { NodeType, ValidationReport } from "../types/contracts";
import type { Ack, RealtimeHandlers } from "../realtime";
import { ProjectStore, VALIDATE_DEBOUNCE_MS, type ProjectServices } from "./project.svelte";

const shotType: NodeType = {
  id: "ShotNode",
  version: "1.0.0",
  title: "Shot",
  category: "Generate",
  origin: "builtin",
  executor: "pipeline",
  inputs: [
    { name: "pipeline", type: "PipelineReference" },
    { name: "prompt", type: "String", widget: "textarea", default: "" },
  ],
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

const audioType: NodeType = {
  id: "AudioNode",
  version: "1.0.0",
  title: "Audio",
  category: "Audio",
  origin: "builtin",
  executor: "pipeline",
  inputs: [
    { name: "source_audio", type: "Audio", label: "Reference voice", widget: "file" },
    { name: "text", type: "String", required: true, widget: "textarea" },
  ],
  outputs: [{ name: "audio", type: "Audio" }],
  params: {},
};
const vseType: NodeType = {
  id: "VSEAssemblerNode",
  version: "1.0.0",
  title: "VSE Assembler",
  category: "Assembly",
  origin: "builtin",
  executor: "render",
  inputs: [{ name: "sequence", type: "EDL", required: true }],
  outputs: [{ name: "final_video", type: "Video" }],
  params: {},
};

/** A fake server: acknowledges every edit with the next version, records what was sent. */
function setup(answer?: (event: string, payload: Record<string, unknown>) => Ack, services: ProjectServices = {}) {
  const sent: [string, Record<string, unknown>][] = [];
  let serverVersion = 1;
  let handlers!: RealtimeHandlers;
  const store = new ProjectStore("p1", [shotType, pipeType, audioType, vseType], undefined, services);
  store.connect((h) => {
    handlers = h;
    return {
      async emit(event: string, payload: object) {
        sent.push([event, payload as Record<string, unknown>]);
        if (answer) return answer(event, payload as Record<string, unknown>);
        if (["client:sync_request", "client:start_generation", "client:render_final_sequence"].includes(event))
          return { ok: true, task_id: "t1" };
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
    expect(
      store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "pipeline" }),
    ).toBe(true);
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
    expect(store.connect_nodes({ source: pipe, sourceHandle: "pipeline", target: shot, targetHandle: "prompt" })).toBe(
      false,
    );
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
    handlers().event("server:graph_patch", {
      ops: [{ op: "remove_nodes", node_ids: ["n1"] }],
      version: 9,
      origin: "x",
    });
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
    store.remove([pipe]);
    expect(store.edges).toEqual([]);
    expect(store.incoming.get(shot)).toBeUndefined();
  });

  it("loads every shot's takes in one request while the canvas opens, a later node's on its own", async () => {
    const take = (n: number) => ({ path: `t${n}.png`, take: n, url: `/t${n}`, thumbnail_url: null });
    const asked: string[] = [];
    const store = new ProjectStore("p1", [shotType], async (_project, node) => (asked.push(node), [take(9)]), {
      takesByNode: async () => (asked.push("*"), { a: [take(1), take(2)] }),
    });
    await Promise.all([store.loadTakes("a"), store.loadTakes("b")]);
    expect(asked).toEqual(["*"]);
    expect(store.runtime.a.takes?.map((t) => t.take)).toEqual([1, 2]);
    expect(store.runtime.b).toBeUndefined(); // no takes: no state written
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
    handlers().event("server:takes_updated", {
      node_id: "s",
      takes: [{ path: "a.png", take: 1, url: "/a", thumbnail_url: null }],
    });
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
    expect(
      store.nodes
        .filter((n) => n.selected)
        .map((n) => n.id)
        .sort(),
    ).toEqual([...pasted].sort());
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

describe("ProjectStore validation", () => {
  afterEach(() => vi.useRealTimers());

  const missingText = (nodeId: string): ValidationReport => ({
    valid: false,
    issues: [
      { node_id: null, severity: "warning", code: "graph_schema", message: "whole graph" },
      {
        node_id: nodeId,
        severity: "error",
        code: "missing_required_input",
        message: `Node '${nodeId}' (AudioNode) needs input 'text' (String), which is empty.`,
        fix: "Type a value into 'text' or connect a String output to it.",
      },
    ],
  });

  it("validates once edits settle, and puts each issue on its node", async () => {
    vi.useFakeTimers();
    let report: ValidationReport = { valid: true, issues: [] };
    const validate = vi.fn(async () => report);
    const { store } = setup(undefined, { validate });
    const audio = store.addNode("AudioNode", { x: 0, y: 0 })!;
    report = missingText(audio);
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS - 1);
    expect(validate).not.toHaveBeenCalled(); // the edit's version came back; the pause has not passed yet
    await vi.advanceTimersByTimeAsync(1);
    expect(validate).toHaveBeenCalledTimes(1);
    expect(validate).toHaveBeenCalledWith("p1");
    expect(store.issues[audio].map((i) => i.code)).toEqual(["missing_required_input"]);
    expect(store.graphIssues.map((i) => i.message)).toEqual(["whole graph"]);

    // Typing text: one debounced data update, one new version, one validation that clears the issue.
    report = { valid: true, issues: [] };
    store.updateNodeData(audio, { text: "Hel" });
    store.updateNodeData(audio, { text: "Hello" });
    await vi.advanceTimersByTimeAsync(350 + VALIDATE_DEBOUNCE_MS);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(store.issues).toEqual({});
    expect(store.graphIssues).toEqual([]);
  });

  it("has at most one request in flight; changes meanwhile are validated after it", async () => {
    vi.useFakeTimers();
    const answers: ((report: ValidationReport) => void)[] = [];
    const validate = vi.fn(() => new Promise<ValidationReport>((resolve) => answers.push(resolve)));
    const { store, handlers } = setup(undefined, { validate });
    const patch = (version: number) =>
      handlers().event("server:graph_patch", {
        ops: [{ op: "add_node", node: { id: `n${version}`, type: "AudioNode", position: { x: 0, y: 0 }, data: {} } }],
        version,
        origin: "other",
      });
    patch(2);
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS);
    expect(validate).toHaveBeenCalledTimes(1);
    patch(3);
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS);
    patch(4);
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS);
    expect(validate).toHaveBeenCalledTimes(1); // still waiting for the first answer
    answers[0](missingText("n2"));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.issues.n2).toHaveLength(1);
    expect(validate).toHaveBeenCalledTimes(2); // the versions that came meanwhile, in one request
    answers[1]({ valid: true, issues: [] });
    await vi.advanceTimersByTimeAsync(5 * VALIDATE_DEBOUNCE_MS);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(store.issues).toEqual({});
  });

  it("stops validating when the project is closed", async () => {
    vi.useFakeTimers();
    const validate = vi.fn(async () => ({ valid: true, issues: [] }));
    const { store } = setup(undefined, { validate });
    store.addNode("AudioNode", { x: 0, y: 0 });
    await vi.advanceTimersByTimeAsync(0);
    store.disconnect();
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS * 2);
    expect(validate).not.toHaveBeenCalled();
  });
});

describe("ProjectStore uploads and renders", () => {
  const uploaded = (path: string, kind: "audio" | "video") => ({
    path,
    url: `/api/v1/projects/p1/files/${path}`,
    sha256: "0".repeat(64),
    size: 10,
    kind,
    socket_type: kind === "audio" ? ("Audio" as const) : ("Video" as const),
  });

  it("sets a file input to the uploaded file's project path", async () => {
    const upload = vi.fn(async (_p: string, file: File) => uploaded(`01_Assets/Source_Media/${file.name}`, "audio"));
    const { store, sent } = setup(undefined, { upload });
    const audio = store.addNode("AudioNode", { x: 0, y: 0 })!;
    const problem = await store.uploadInput(audio, "source_audio", new File(["RIFF"], "voice.wav"));
    expect(problem).toBeNull();
    expect(upload).toHaveBeenCalledWith("p1", expect.any(File));
    expect(store.nodes[0].data.source_audio).toBe("01_Assets/Source_Media/voice.wav");
    await flush();
    await flush();
    expect(sent.at(-1)).toEqual([
      "client:update_node_data",
      { node_id: audio, data: { source_audio: "01_Assets/Source_Media/voice.wav" }, version: 2 },
    ]);
    expect(store.fileUrl("01_Assets/Source_Media/my voice.wav")).toBe(
      "/api/v1/projects/p1/files/01_Assets/Source_Media/my%20voice.wav",
    );
  });

  it("refuses a file of the wrong kind before and after uploading, and reports the server's sentence", async () => {
    const upload = vi.fn(async () => uploaded("01_Assets/Source_Media/clip.bin", "video"));
    const { store } = setup(undefined, { upload });
    const audio = store.addNode("AudioNode", { x: 0, y: 0 })!;
    expect(await store.uploadInput(audio, "source_audio", new File(["x"], "walk.mp4"))).toBe(
      "'walk.mp4' is a video file, but Reference voice takes an audio file: choose a file ending in .wav .mp3 .flac .ogg .m4a.",
    );
    expect(upload).not.toHaveBeenCalled();
    expect(await store.uploadInput(audio, "source_audio", new File(["x"], "clip.bin"))).toMatch(
      /'clip.bin' is a video file, but Reference voice takes an audio file/,
    );
    upload.mockRejectedValueOnce(new Error("'huge.wav' is 900 MB; uploads are limited to 500 MB."));
    expect(await store.uploadInput(audio, "source_audio", new File(["x"], "huge.wav"))).toBe(
      "'huge.wav' is 900 MB; uploads are limited to 500 MB.",
    );
    expect(store.nodes[0].data.source_audio).toBeUndefined();
  });

  it("starts a final render and follows it; a failure says it was the render", async () => {
    const { store, sent, handlers } = setup();
    const vse = store.addNode("VSEAssemblerNode", { x: 0, y: 0 })!;
    await store.renderFinalSequence(vse);
    expect(sent.at(-1)).toEqual(["client:render_final_sequence", { node_id: vse }]);
    expect(store.runtime[vse]).toMatchObject({ state: "queued", taskId: "t1" });
    handlers().event("server:task_progress", { node_id: vse, task_id: "t1", progress: 50, step: "rendering" });
    expect(store.runtime[vse]).toMatchObject({ progress: 50, step: "rendering" });
    handlers().event("server:task_failed", { node_id: vse, task_id: "t1", error: "The clip is gone." });
    expect(store.runtime[vse]).toMatchObject({ state: "failed", error: "The clip is gone." });
    expect(store.notices.at(-1)?.message).toBe("Render failed: The clip is gone.");
  });

  it("shows why a render could not start", async () => {
    const { store } = setup((event) =>
      event === "client:render_final_sequence"
        ? { ok: false, error: { code: "invalid_input", message: "VSE Assembler 'v' has no Sequence connected." } }
        : { ok: true, version: 2 },
    );
    const vse = store.addNode("VSEAssemblerNode", { x: 0, y: 0 })!;
    await store.renderFinalSequence(vse);
    expect(store.runtime[vse]).toMatchObject({
      state: "failed",
      error: "VSE Assembler 'v' has no Sequence connected.",
    });
  });
});
