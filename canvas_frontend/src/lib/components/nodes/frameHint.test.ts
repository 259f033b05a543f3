import { describe, expect, it } from "vitest";
import type { FlowNode } from "$lib/stores/project.svelte";
import { shotType } from "$lib/stores/fixtures";
import { FrameHints, frameHint } from "./frameHint";

const node = (id: string, extra: Partial<FlowNode> = {}): FlowNode => ({
  id,
  type: "ShotNode",
  position: { x: 0, y: 0 },
  data: {},
  ...extra,
});

describe("frameHint", () => {
  it("sizes a node by its ports and body box, with its handles on the frame's edges, row by row", () => {
    const hint = frameHint(shotType, {}, new Set(), { width: 260, height: 150 });
    // Two port rows (two inputs, one output): 2 borders + 32 header + 12 padding + 2 * 20 + 2 gap + 150 body.
    expect(hint.initialWidth).toBe(262);
    expect(hint.initialHeight).toBe(238);
    expect(hint.handles).toEqual([
      expect.objectContaining({ id: "pipeline", type: "target", x: -4, y: 44 }),
      expect.objectContaining({ id: "prompt", type: "target", x: -4, y: 66 }),
      expect.objectContaining({ id: "image", type: "source", x: 256, y: 44 }),
    ]);
  });

  it("leaves out the inputs the type hides while they are unconnected", () => {
    const hiding = { ...shotType, ui: { hide_inputs: ["prompt"] } };
    expect(frameHint(hiding, {}, new Set(), null).handles.map((h) => h.id)).toEqual(["pipeline", "image"]);
    expect(frameHint(hiding, {}, new Set(["prompt"]), null).handles.map((h) => h.id)).toEqual([
      "pipeline",
      "prompt",
      "image",
    ]);
  });
});

describe("FrameHints", () => {
  const hints = new FrameHints((n) => (n.type === "ShotNode" ? frameHint(shotType, n.data, new Set(), null) : null));

  it("shows an unmeasured node with its hint, the same object each time, and keeps the node it came from", () => {
    const plain = node("a");
    const shown = hints.show(plain);
    expect(shown.handles).toHaveLength(3);
    expect(shown.initialWidth).toBe(220);
    expect(hints.show(plain)).toBe(shown);
    expect(hints.keep(shown)).toBe(plain);
  });

  it("keeps a node Svelte Flow measured without the hint, and shows a measured node as it is", () => {
    const measured = { ...hints.show(node("b")), measured: { width: 300, height: 400 } };
    const kept = hints.keep(measured);
    expect(kept).toEqual(node("b", { measured: { width: 300, height: 400 } }));
    expect(hints.show(kept)).toBe(kept);
  });

  it("shows a node without a hint (a scene group) as it is", () => {
    const group = node("g", { type: "SceneGroupNode" });
    expect(hints.show(group)).toBe(group);
  });
});
