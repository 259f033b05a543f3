import { describe, expect, it } from "vitest";
import { editPoints, layout, locate, titlesAt, transitionAt } from "./layout";
import type { TimelineClip, Transition } from "./sequence";

const clips: TimelineClip[] = [
  { node_id: "a", trim_in: 4, trim_out: 2 },
  { node_id: "b" },
  { node_id: "c", trim_in: 10 },
];

describe("layout", () => {
  it("lays trimmed clips end to end", () => {
    const cut = layout(clips, [], [30, 24, 40]);
    expect(cut.clips.map((c) => [c.start, c.end, c.sourceIn, c.sourceOut])).toEqual([
      [0, 24, 4, 28],
      [24, 48, 0, 24],
      [48, 78, 10, 40],
    ]);
    expect(cut.total).toBe(78);
  });

  it("lets a transition straddle its cut, shortening the sequence by its length as the renderer does", () => {
    const dissolve: Transition = { after_clip: 0, kind: "dissolve", frames: 7 };
    const cut = layout(clips, [dissolve, { after_clip: 1, kind: "cut", frames: 12 }], [30, 24, 40]);
    expect(cut.total).toBe(78 - 7);
    // 4 frames (7 - 7//2) of a's tail and 3 of b's head go to the dissolve.
    expect(cut.clips[0]).toMatchObject({ start: 0, end: 20, sourceIn: 4, sourceOut: 24 });
    expect(cut.clips[1]).toMatchObject({ start: 20, end: 41, sourceIn: 3, sourceOut: 24 });
    // The clips' own in- and out-points and lengths stay as trimmed.
    expect(cut.clips[0]).toMatchObject({ inPoint: 4, outPoint: 28, frames: 24 });
    expect(cut.clips[1]).toMatchObject({ inPoint: 0, outPoint: 24, frames: 24 });
    expect(cut.transitions).toEqual([{ after: 0, kind: "dissolve", frames: 7, start: 16, cut: 20, end: 23 }]);
  });

  it("ignores transitions with nothing after them, and counts clips of unknown length as empty", () => {
    const cut = layout(clips, [{ after_clip: 2, kind: "wipe", frames: 4 }], [30, undefined, 40]);
    expect(cut.transitions).toEqual([]);
    expect(cut.clips[1]).toMatchObject({ start: 24, end: 24 });
    expect(cut.clips[1].available).toBeUndefined();
    expect(cut.clips[0].available).toBe(30);
  });
});

describe("the playhead", () => {
  const cut = layout(clips, [{ after_clip: 1, kind: "wipe", frames: 4 }], [30, 24, 40]);

  it("names the clip on screen and its take frame, honouring trims", () => {
    expect(locate(cut, 0)).toMatchObject({ clip: { index: 0 }, sourceFrame: 4 });
    expect(locate(cut, 23)).toMatchObject({ clip: { index: 0 }, sourceFrame: 27 });
    expect(locate(cut, 24)).toMatchObject({ clip: { index: 1 }, sourceFrame: 0 });
    expect(locate(cut, 46)).toMatchObject({ clip: { index: 2 }, sourceFrame: 12 });
    expect(locate(cut, cut.total)).toBeNull();
  });

  it("says how far through a transition it is", () => {
    expect(transitionAt(cut, 43)).toBeNull();
    expect(transitionAt(cut, 44)).toMatchObject({ transition: { kind: "wipe" }, progress: 0 });
    expect(transitionAt(cut, 46)?.progress).toBe(0.5);
    expect(transitionAt(cut, 48)).toBeNull();
  });

  it("shows a title from its start for its length", () => {
    const titles = [{ text: "A", start_frame: 10, frames: 5 }];
    expect(titlesAt(titles, 9)).toEqual([]);
    expect(titlesAt(titles, 10)).toEqual(titles);
    expect(titlesAt(titles, 15)).toEqual([]);
  });

  it("lists the edit points", () => {
    expect(editPoints(cut)).toEqual([0, 24, 46, 74]);
  });
});
