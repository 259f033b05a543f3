import { describe, expect, it, vi } from "vitest";
import type { TakeRef } from "../graph/takes";
import type { CanvasEdge, CanvasNode } from "../types/contracts";
import { NodeCatalogue } from "./catalogue.svelte";
import { fakeServer, flush, NODE_TYPES } from "./fixtures";
import { GraphStore } from "./graph.svelte";
import { Notices } from "./notices.svelte";
import { NodeRuntimes } from "./runtime.svelte";
import { TimelineEditor } from "./timeline.svelte";
import { GraphValidation } from "./validation.svelte";

const take = (shot: string, n = 1): TakeRef => ({
  path: `03_Renders/SCENE_01/${shot}/${shot}_v01_take0${n}.mp4`,
  take: n,
  url: `/files/${shot}_take0${n}.mp4`,
  thumbnail_url: null,
});

const shot = (id: string, shot_id: string): CanvasNode => ({
  id,
  type: "ShotNode",
  position: { x: 0, y: 0 },
  data: { shot_id },
});
const NODES: CanvasNode[] = [
  shot("a", "SHOT-010"),
  shot("b", "SHOT-020"),
  { id: "seq", type: "SequenceNode", position: { x: 0, y: 0 }, data: { fps: 12 } },
];
const EDGES: CanvasEdge[] = ["a", "b"].map((source) => ({
  id: `e${source}`,
  source,
  sourceHandle: "video",
  target: "seq",
  targetHandle: "clips",
}));

/** A Sequence cutting shots a and b (connected in that order) at 12 fps, behind a fake server. */
function setup() {
  const { connection, sent } = fakeServer();
  const graph = new GraphStore({
    catalogue: new NodeCatalogue(NODE_TYPES),
    notices: new Notices(),
    connection: () => connection,
    resync: vi.fn(),
    versionChanged: () => undefined,
  });
  graph.replace({ nodes: NODES, edges: EDGES }, 1);
  const runtime = new NodeRuntimes(
    { ofNode: async () => [] },
    async () => undefined,
    () => [],
  );
  runtime.patch("a", { takes: [take("SHOT-010")] });
  runtime.patch("b", { takes: [take("SHOT-020"), take("SHOT-020", 2)] });
  const validation = new GraphValidation(undefined, () => new Set());
  const editor = new TimelineEditor({ graph, runtime, validation }, "seq");
  return { graph, sent, editor, validation };
}

const dataOf = (graph: GraphStore) => graph.nodes.find((n) => n.id === "seq")?.data;

describe("TimelineEditor", () => {
  it("cuts the connected clips' shown takes, laid out by their measured lengths at the sequence's rate", () => {
    const { editor } = setup();
    expect(editor.clips.map((c) => c.node_id)).toEqual(["a", "b"]);
    expect(editor.takes.map((t) => t?.take)).toEqual([1, 2]); // b shows its newest take
    editor.measured(take("SHOT-010").path, 2); // 24 frames at 12 fps
    editor.measured(take("SHOT-020", 2).path, 1.5);
    expect(editor.layout.clips.map((c) => [c.start, c.end])).toEqual([
      [0, 24],
      [24, 42],
    ]);
    expect(editor.nameOf("b")).toBe("SHOT-020");
  });

  it("sends a reorder as one update of the node's data, which the canvas's undo takes back and redo repeats", async () => {
    const { graph, editor, sent } = setup();
    editor.transition(0, "dissolve", 6);
    editor.move(1, 0);
    expect(dataOf(graph)?.timeline).toEqual([{ node_id: "b" }, { node_id: "a" }]);
    expect(dataOf(graph)?.transitions).toEqual([]); // a's dissolve followed it to the end, where nothing follows
    await flush(3);
    expect(sent.map(([event, payload]) => [event, payload.data])).toEqual([
      ["client:update_node_data", { transitions: [{ after_clip: 0, kind: "dissolve", frames: 6 }] }],
      ["client:update_node_data", { timeline: [{ node_id: "b" }, { node_id: "a" }], transitions: [] }],
    ]);
    graph.undo();
    expect(editor.clips.map((c) => c.node_id)).toEqual(["a", "b"]);
    expect(editor.transitions).toEqual([{ after_clip: 0, kind: "dissolve", frames: 6 }]);
    graph.redo();
    expect(editor.clips.map((c) => c.node_id)).toEqual(["b", "a"]);
  });

  it("shows a trim drag as a draft and sends it once, on release", async () => {
    const { graph, editor, sent } = setup();
    editor.measured(take("SHOT-010").path, 2);
    editor.trim(0, "out", 3, false);
    editor.trim(0, "out", 5, false);
    expect(editor.clips[0]).toEqual({ node_id: "a", trim_out: 5 });
    expect(dataOf(graph)?.timeline).toBeUndefined();
    editor.commit();
    await flush(3);
    expect(sent.map(([, payload]) => payload.data)).toEqual([
      { timeline: [{ node_id: "a", trim_out: 5 }, { node_id: "b" }] },
    ]);
    expect(editor.draft).toBeNull();
  });

  it("nudges the selected trim edge one frame, inside the take", () => {
    const { editor } = setup();
    editor.measured(take("SHOT-010").path, 2);
    editor.selection = { kind: "clip", index: 0, edge: "in" };
    editor.nudge(1);
    editor.nudge(1);
    expect(editor.clips[0].trim_in).toBe(2);
    editor.nudge(-5);
    expect(editor.clips[0].trim_in).toBe(0);
    editor.selection = { kind: "clip", index: 0, edge: "out" };
    editor.nudge(-1); // the out-point one frame earlier
    expect(editor.clips[0].trim_out).toBe(1);
    expect(editor.layout.clips[0].end).toBe(23);
  });

  it("adds a title at the playhead, selected, and edits it", () => {
    const { editor } = setup();
    editor.addTitle(30, "Opening");
    expect(editor.titles).toEqual([{ text: "Opening", start_frame: 30, frames: 48, position: "lower_third" }]);
    expect(editor.selection).toEqual({ kind: "title", index: 0 });
    editor.title(0, { position: "center", frames: 12 });
    expect(editor.titles[0]).toMatchObject({ position: "center", frames: 12 });
  });

  it("puts the server's conform warning on the clip it names", () => {
    const { editor, validation } = setup();
    const warning = {
      node_id: "seq",
      severity: "warning" as const,
      code: "sequence_conform" as const,
      message: "Clip 1 (30 fps) is conformed to 12 fps by dropping frames.",
    };
    const other = { ...warning, message: "Sequence 'seq' has a transition after clip 4." };
    validation.issues = { seq: [warning, other] };
    expect(editor.clipIssues(1)).toEqual([warning]);
    expect(editor.clipIssues(0)).toEqual([]);
    expect(editor.sequenceIssues).toEqual([other]);
  });

  it("places a connected music track by offset and volume", () => {
    const { graph, editor } = setup();
    graph.replace(
      {
        nodes: [...NODES, { id: "music", type: "AudioNode", position: { x: 0, y: 0 }, data: {} }],
        edges: [
          ...graph.edges,
          { id: "em", source: "music", sourceHandle: "audio", target: "seq", targetHandle: "audio" },
        ],
      },
      2,
    );
    expect(editor.audioTracks).toEqual([{ node_id: "music" }]);
    editor.track("music", { offset: -12, volume: 0.5 });
    expect(dataOf(graph)?.audio_tracks).toEqual([{ node_id: "music", offset: -12, volume: 0.5 }]);
  });

  it("plays the preview at the sequence's rate and stops on its last frame", () => {
    const { editor } = setup();
    editor.measured(take("SHOT-010").path, 2);
    editor.measured(take("SHOT-020", 2).path, 1);
    editor.togglePlay(1000);
    editor.tick(2000);
    expect([editor.playhead, editor.playing]).toEqual([12, true]);
    editor.step(1, 2000);
    expect([editor.playhead, editor.playing]).toEqual([13, false]);
    editor.seek(30, 2000);
    editor.togglePlay(3000);
    editor.tick(9000);
    expect([editor.playhead, editor.playing]).toEqual([35, false]);
  });
});
