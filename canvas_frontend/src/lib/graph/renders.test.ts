import { describe, expect, it } from "vitest";
import type { RenderSummary } from "../types/contracts";
import { renderLabel } from "./renders";

const render = (path: string, settings: Partial<RenderSummary["settings"]> = {}): RenderSummary => ({
  path,
  url: `/files/${path}`,
  created_at: "2026-11-30T14:05:09Z",
  duration_s: 2.04,
  frames: 49,
  fps: 24,
  task_id: "t1",
  settings: {
    sequence_node_id: "seq",
    clips: 12,
    transitions: 2,
    titles: 1,
    conform: "duplicate_drop",
    width: 1920,
    height: 1080,
    ...settings,
  },
});

describe("renderLabel", () => {
  it("names a render by its version, time, length, size and what it was made from", () => {
    const made = new Date("2026-11-30T14:05:09Z").toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
    expect(renderLabel(render("06_Exports/final_cut_v003.mp4"), "en-GB")).toBe(
      `v003 · ${made} · 2.0 s · 1920×1080 · 12 clips, 2 transitions, 1 title`,
    );
  });

  it("leaves out what the sequence had none of, and names a file without a version by its name", () => {
    const plain = render("06_Exports/final_cut.mov", { clips: 1, transitions: 0, titles: 0, width: 64, height: 48 });
    expect(renderLabel(plain, "en-GB")).toMatch(/^final_cut\.mov · \d\d:\d\d · 2\.0 s · 64×48 · 1 clip$/);
  });
});
