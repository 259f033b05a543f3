import { afterEach, describe, expect, it, vi } from "vitest";
import type { Ack, ClientEventName, RealtimeHandlers } from "../realtime";
import type { ValidationReport } from "../types/contracts";
import { fakeServer, flush, NODE_TYPES, storedFile } from "./fixtures";
import { ProjectStore, VALIDATE_DEBOUNCE_MS, type ProjectServices } from "./project.svelte";

/** A project at version 1, connected to a fake server. */
function setup(
  answer?: (event: ClientEventName, payload: Record<string, unknown>) => Ack,
  services: ProjectServices = {},
) {
  const { connection, sent } = fakeServer(answer);
  let handlers!: RealtimeHandlers;
  const store = new ProjectStore("p1", NODE_TYPES, services);
  store.connect((h) => {
    handlers = h;
    return connection;
  });
  store.graph.replace({ nodes: [], edges: [] }, 1);
  return { store, sent, handlers: () => handlers };
}

describe("ProjectStore", () => {
  it("flushes a node's typing before generating it", async () => {
    const { store, sent } = setup();
    const shot = store.graph.addNode("ShotNode", { x: 0, y: 0 })!;
    store.graph.updateNodeData(shot, { prompt: "a light" });
    store.graph.updateNodeData(shot, { prompt: "a lighthouse" });
    await store.startGeneration(shot);
    const updates = sent.filter(([e]) => e === "client:update_node_data");
    expect(updates).toHaveLength(1);
    expect(updates[0][1].data).toEqual({ prompt: "a lighthouse" });
    expect(sent.at(-1)![0]).toBe("client:start_generation");
    expect(store.runtime.of(shot)).toMatchObject({ state: "queued", taskId: "t1" });
  });

  it("shows a render node's last render after a reload, and a new one when it is announced", async () => {
    const render = (task: string) => ({
      path: "06_Exports/final.mp4",
      url: "/files/06_Exports/final.mp4",
      created_at: "2026-11-30T08:00:00Z",
      duration_s: 2,
      frames: 48,
      fps: 24,
      task_id: task,
      settings: {
        sequence_node_id: "seq",
        clips: 2,
        transitions: 0,
        titles: 0,
        conform: "duplicate_drop" as const,
        width: 64,
        height: 48,
      },
    });
    const renders = vi.fn(async () => [render("r1")]);
    const { store, handlers } = setup(undefined, { renders });
    await store.loadRenders("vse");
    expect(renders).toHaveBeenCalledWith("p1", "vse");
    expect(store.runtime.of("vse")?.renders?.at(-1)?.task_id).toBe("r1");
    handlers().event("server:renders_updated", { node_id: "vse", renders: [render("r1"), render("r2")] });
    expect(store.runtime.of("vse")?.renders?.map((r) => r.task_id)).toEqual(["r1", "r2"]);
  });

  it("asks for a full sync on a conflict, on a version gap and after every (re)connect", async () => {
    const { store, sent, handlers } = setup();
    handlers().event("server:conflict", { version: 5 });
    expect(sent.at(-1)![0]).toBe("client:sync_request");
    expect(store.notices.list.at(-1)?.level).toBe("warning");
    sent.length = 0;
    handlers().connected();
    handlers().event("server:graph_patch", { ops: [], version: 7, origin: "x" });
    expect(sent.map(([e]) => e)).toEqual(["client:sync_request", "client:sync_request"]);
    handlers().event("server:full_sync", { graph: { schema_version: 1, nodes: [], edges: [] }, version: 7 });
    expect(store.graph.version).toBe(7);
  });

  it("hands each server event to its store, and lets an event it does not know go", () => {
    const { store, handlers } = setup();
    handlers().event("server:node_state_updated", { node_id: "s", state: "generating", task_id: "t" });
    handlers().event("server:task_progress", { node_id: "s", task_id: "t", progress: 40, step: "Drawing" });
    expect(store.runtime.of("s")).toMatchObject({ state: "generating", progress: 40, step: "Drawing" });
    handlers().event("server:notification", { level: "info", code: "quality_fallback", message: "Fell back." });
    handlers().event("server:error", { code: "invalid_input", message: "No such node." });
    expect(store.notices.list.map((n) => [n.level, n.message])).toEqual([
      ["info", "Fell back."],
      ["error", "No such node."],
    ]);
    expect(() => handlers().event("server:something_new", { x: 1 })).not.toThrow();
    expect(() => handlers().event("toString", {})).not.toThrow();
    expect(store.notices.list).toHaveLength(2);
  });

  it("shows a paused queue on the waiting node, not as one notice per node", () => {
    const { store, handlers } = setup();
    handlers().event("server:node_state_updated", { node_id: "s", state: "queued", task_id: "t" });
    const message = "Waiting: ed paused this project's queue. Resume it in the Tasks panel to run this task.";
    handlers().event("server:notification", { level: "info", code: "queue_paused", message, node_id: "s" });
    expect(store.runtime.of("s")?.step).toBe(message);
    expect(store.notices.list).toEqual([]);
    handlers().event("server:node_state_updated", { node_id: "s", state: "generating", task_id: "t" });
    expect(store.runtime.of("s")?.step).toBeUndefined();
  });
});

describe("ProjectStore validation (once edits settle)", () => {
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
    const audio = store.graph.addNode("AudioNode", { x: 0, y: 0 })!;
    report = missingText(audio);
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS - 1);
    expect(validate).not.toHaveBeenCalled(); // the edit's version came back; the pause has not passed yet
    await vi.advanceTimersByTimeAsync(1);
    expect(validate).toHaveBeenCalledTimes(1);
    expect(validate).toHaveBeenCalledWith("p1");
    expect(store.validation.issues[audio].map((i) => i.code)).toEqual(["missing_required_input"]);
    expect(store.validation.graphIssues.map((i) => i.message)).toEqual(["whole graph"]);

    // Typing text: one debounced data update, one new version, one validation that clears the issue.
    report = { valid: true, issues: [] };
    store.graph.updateNodeData(audio, { text: "Hel" });
    store.graph.updateNodeData(audio, { text: "Hello" });
    await vi.advanceTimersByTimeAsync(350 + VALIDATE_DEBOUNCE_MS);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(store.validation.issues).toEqual({});
    expect(store.validation.graphIssues).toEqual([]);
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
    expect(store.validation.issues.n2).toHaveLength(1);
    expect(validate).toHaveBeenCalledTimes(2); // the versions that came meanwhile, in one request
    answers[1]({ valid: true, issues: [] });
    await vi.advanceTimersByTimeAsync(5 * VALIDATE_DEBOUNCE_MS);
    expect(validate).toHaveBeenCalledTimes(2);
    expect(store.validation.issues).toEqual({});
  });

  it("stops validating when the project is closed", async () => {
    vi.useFakeTimers();
    const validate = vi.fn(async () => ({ valid: true, issues: [] }));
    const { store } = setup(undefined, { validate });
    store.graph.addNode("AudioNode", { x: 0, y: 0 });
    await vi.advanceTimersByTimeAsync(0);
    store.disconnect();
    await vi.advanceTimersByTimeAsync(VALIDATE_DEBOUNCE_MS * 2);
    expect(validate).not.toHaveBeenCalled();
  });
});

describe("ProjectStore uploads and renders", () => {
  it("sets a file input to the uploaded file's project path", async () => {
    const upload = vi.fn(async (_p: string, file: File) => storedFile(`01_Assets/Source_Media/${file.name}`, "audio"));
    const { store, sent } = setup(undefined, { upload });
    const audio = store.graph.addNode("AudioNode", { x: 0, y: 0 })!;
    const problem = await store.uploadInput(audio, "source_audio", new File(["RIFF"], "voice.wav"));
    expect(problem).toBeNull();
    expect(upload).toHaveBeenCalledWith("p1", expect.any(File));
    expect(store.graph.nodes[0].data.source_audio).toBe("01_Assets/Source_Media/voice.wav");
    await flush(2);
    expect(sent.at(-1)).toEqual([
      "client:update_node_data",
      { node_id: audio, data: { source_audio: "01_Assets/Source_Media/voice.wav" }, version: 2 },
    ]);
    expect(store.fileUrl("01_Assets/Source_Media/my voice.wav")).toBe(
      "/api/v1/projects/p1/files/01_Assets/Source_Media/my%20voice.wav",
    );
  });

  it("starts a final render and follows it; a failure says it was the render", async () => {
    const { store, sent, handlers } = setup();
    const vse = store.graph.addNode("VSEAssemblerNode", { x: 0, y: 0 })!;
    await store.renderFinalSequence(vse);
    expect(sent.at(-1)).toEqual(["client:render_final_sequence", { node_id: vse }]);
    expect(store.runtime.of(vse)).toMatchObject({ state: "queued", taskId: "t1" });
    handlers().event("server:task_progress", { node_id: vse, task_id: "t1", progress: 50, step: "rendering" });
    expect(store.runtime.of(vse)).toMatchObject({ progress: 50, step: "rendering" });
    handlers().event("server:task_failed", { node_id: vse, task_id: "t1", error: "The clip is gone." });
    expect(store.runtime.of(vse)).toMatchObject({ state: "failed", error: "The clip is gone." });
    expect(store.notices.list.at(-1)?.message).toBe("Render failed: The clip is gone.");
  });

  it("shows why a render could not start", async () => {
    const { store } = setup((event) =>
      event === "client:render_final_sequence"
        ? { ok: false, error: { code: "invalid_input", message: "VSE Assembler 'v' has no Sequence connected." } }
        : { ok: true, version: 2 },
    );
    const vse = store.graph.addNode("VSEAssemblerNode", { x: 0, y: 0 })!;
    await store.renderFinalSequence(vse);
    expect(store.runtime.of(vse)).toMatchObject({
      state: "failed",
      error: "VSE Assembler 'v' has no Sequence connected.",
    });
  });
});
