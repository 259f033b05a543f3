import { describe, expect, it } from "vitest";
import { NodeRuntimes } from "./runtime.svelte";

const take = (n: number) => ({
  path: `t${n}.png`,
  take: n,
  url: `/t${n}`,
  thumbnail_url: null,
  pipeline: "cpu-storyboard",
  created_at: "2026-11-30T12:00:00Z",
});

describe("NodeRuntimes", () => {
  const source = (asked: string[]) => ({
    ofNode: async (node: string) => (asked.push(node), [take(9)]),
    byNode: async () => (asked.push("*"), { a: [take(1), take(2)], d: [take(3)] }),
  });

  it("loads every node's takes in one request while the canvas opens, a later node's on its own", async () => {
    const asked: string[] = [];
    const graph = ["a", "b", "d"];
    const runtime = new NodeRuntimes(
      source(asked),
      async () => undefined,
      () => graph,
    );
    await Promise.all([runtime.loadTakes("a"), runtime.loadTakes("b")]);
    expect(asked).toEqual(["*"]);
    expect(runtime.of("a")?.takes?.map((t) => t.take)).toEqual([1, 2]);
    expect(runtime.of("b")).toBeUndefined(); // no takes: no state written
    graph.push("c");
    await runtime.loadTakes("c");
    expect(asked).toEqual(["*", "c"]);
    expect(runtime.of("c")?.takes?.map((t) => t.take)).toEqual([9]);
  });

  it("answers a node first mounted long after the canvas opened from the first request, and asks once per node", async () => {
    const asked: string[] = [];
    const runtime = new NodeRuntimes(
      source(asked),
      async () => undefined,
      () => ["a", "b", "d"],
    );
    await runtime.loadTakes("a");
    // "d" was out of view when the canvas opened: its takes came with everyone's.
    expect(runtime.of("d")?.takes?.map((t) => t.take)).toEqual([3]);
    runtime.takesUpdated({ node_id: "d", takes: [take(3), take(4)] });
    await Promise.all([runtime.loadTakes("d"), runtime.loadTakes("b"), runtime.loadTakes("a")]);
    expect(asked).toEqual(["*"]); // panned into view, and again: no request
    expect(runtime.of("d")?.takes?.map((t) => t.take)).toEqual([3, 4]); // the event's takes stand
  });

  it("asks for a node's takes only once the edits before are acknowledged", async () => {
    let acknowledge!: () => void;
    const asked: string[] = [];
    const runtime = new NodeRuntimes(
      { ofNode: async (node) => (asked.push(node), []) },
      () => new Promise<void>((resolve) => (acknowledge = resolve)),
      () => [],
    );
    const loading = runtime.loadTakes("new");
    await Promise.resolve();
    expect(asked).toEqual([]);
    acknowledge();
    await loading;
    expect(asked).toEqual(["new"]);
  });

  it("leaves every node alone for a studio task's events (a model pull has no node)", () => {
    const runtime = new NodeRuntimes(
      { ofNode: async () => [] },
      async () => undefined,
      () => [],
    );
    runtime.progressed({ task_id: "pull", progress: 40, step: "Downloading" });
    runtime.succeeded({ task_id: "pull", result: {} });
    runtime.failed({ task_id: "pull", error: "The Hub has no repository o/m (or it is private). Check --repo." });
    expect(runtime.byNode).toEqual({});
  });

  it("follows a run: state, progress, success with its thumbnail, takes; a new run starts afresh", () => {
    const runtime = new NodeRuntimes(
      { ofNode: async () => [] },
      async () => undefined,
      () => [],
    );
    runtime.stateUpdated({ node_id: "s", state: "generating", task_id: "t" });
    runtime.progressed({ node_id: "s", task_id: "t", progress: 40, step: "Drawing" });
    expect(runtime.of("s")).toMatchObject({ state: "generating", progress: 40, step: "Drawing", taskId: "t" });
    runtime.succeeded({
      node_id: "s",
      task_id: "t",
      result: { output_url: "/f/take.png", take: { ...take(1), thumbnail_url: "/f/thumb.jpg" } },
    });
    expect(runtime.of("s")?.state).toBe("done");
    expect(runtime.of("s")?.latest).toEqual({ url: "/f/take.png", thumbnail_url: "/f/thumb.jpg" });
    runtime.takesUpdated({ node_id: "s", takes: [take(1)] });
    expect(runtime.of("s")?.takes).toHaveLength(1);
    const render = {
      path: "06_Exports/final.mp4",
      url: "/f/final.mp4",
      created_at: "2026-11-30T08:00:00Z",
      duration_s: 2,
      frames: 48,
      fps: 24,
      task_id: "r1",
      settings: {
        sequence_node_id: "seq",
        clips: 2,
        transitions: 0,
        titles: 0,
        conform: "duplicate_drop" as const,
        width: 64,
        height: 48,
      },
    };
    runtime.rendersUpdated({ node_id: "s", renders: [render] });
    expect(runtime.of("s")?.renders).toEqual([render]);
    runtime.failed({ node_id: "s", task_id: "t2", error: "Out of memory." });
    runtime.stateUpdated({ node_id: "s", state: "queued", task_id: "t3" });
    expect(runtime.of("s")).toMatchObject({ state: "queued", progress: 0, error: undefined, taskId: "t3" });
  });
});

describe("NodeRuntimes notices", () => {
  it("shows the word about a waiting node (a paused queue) as its step, and leaves other nodes alone", () => {
    const runtime = new NodeRuntimes(
      { ofNode: async () => [] },
      async () => undefined,
      () => [],
    );
    runtime.stateUpdated({ node_id: "a", state: "queued", task_id: "t1" });
    runtime.stateUpdated({ node_id: "b", state: "generating", task_id: "t2" });
    const paused = "Waiting: ed paused this project's queue. Resume it in the Tasks panel to run this task.";
    runtime.noticed({ level: "info", code: "queue_paused", message: paused, node_id: "a", task_id: "t1" });
    runtime.noticed({ level: "info", code: "queue_paused", message: paused, node_id: "b", task_id: "t2" });
    expect(runtime.of("a")?.step).toBe(paused);
    expect(runtime.of("b")?.step).toBeUndefined();
  });
});
