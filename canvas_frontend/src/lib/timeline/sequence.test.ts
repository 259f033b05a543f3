import { describe, expect, it } from "vitest";
import {
  addTitle,
  clipsOf,
  moveClip,
  removeClip,
  removeTitle,
  sequenceOf,
  setAudioTrack,
  setClipAudio,
  setTransition,
  trimClip,
  updateTitle,
  withConnected,
  type TimelineClip,
  type Transition,
} from "./sequence";

const clips: TimelineClip[] = [{ node_id: "a" }, { node_id: "b", trim_in: 2 }, { node_id: "c" }];
const dissolveAfterA: Transition = { after_clip: 0, kind: "dissolve", frames: 12 };
const wipeAfterB: Transition = { after_clip: 1, kind: "wipe", frames: 6 };

describe("reading a Sequence", () => {
  it("reads malformed parts as absent and cuts the connected clips when no timeline is set", () => {
    const sequence = sequenceOf({ fps: 12, timeline: "oops", titles: [{ text: "x", start_frame: 0, frames: 1 }] });
    expect(sequence.fps).toBe(12);
    expect(sequence.timeline).toBeUndefined();
    expect(sequence.titles).toHaveLength(1);
    expect(clipsOf(sequence, ["s1", "s2"])).toEqual([{ node_id: "s1" }, { node_id: "s2" }]);
    expect(clipsOf({ timeline: clips }, ["s1"])).toBe(clips);
  });

  it("appends clips connected since, and leaves out those disconnected", () => {
    expect(withConnected(clips, ["c", "d", "b"]).map((c) => c.node_id)).toEqual(["b", "c", "d"]);
    expect(withConnected(clips, ["c", "d", "b"])[0]).toEqual({ node_id: "b", trim_in: 2 });
  });
});

describe("moveClip", () => {
  it("reorders, and each transition stays on the clip it leaves", () => {
    const moved = moveClip(clips, [dissolveAfterA, wipeAfterB], 0, 1);
    expect(moved.timeline?.map((c) => c.node_id)).toEqual(["b", "a", "c"]);
    expect(moved.transitions).toEqual([
      { ...wipeAfterB, after_clip: 0 },
      { ...dissolveAfterA, after_clip: 1 },
    ]);
  });

  it("drops a transition its clip takes to the end, where nothing follows", () => {
    const moved = moveClip(clips, [dissolveAfterA], 0, 2);
    expect(moved.timeline?.map((c) => c.node_id)).toEqual(["b", "c", "a"]);
    expect(moved.transitions).toEqual([]);
  });

  it("keeps a target past either end inside the cut", () => {
    expect(moveClip(clips, [], 2, -5).timeline?.map((c) => c.node_id)).toEqual(["c", "a", "b"]);
    expect(moveClip(clips, [], 0, 99).timeline?.map((c) => c.node_id)).toEqual(["b", "c", "a"]);
  });
});

describe("removeClip", () => {
  it("removes the clip with the transitions touching it, renumbering the later ones", () => {
    const four = [...clips, { node_id: "d" }];
    const after2: Transition = { after_clip: 2, kind: "dissolve", frames: 4 };
    const removed = removeClip(four, [dissolveAfterA, wipeAfterB, after2], 1);
    expect(removed.timeline?.map((c) => c.node_id)).toEqual(["a", "c", "d"]);
    expect(removed.transitions).toEqual([{ ...after2, after_clip: 1 }]);
  });
});

describe("trimClip", () => {
  it("sets a trim in whole frames, never negative, leaving at least one frame of the take", () => {
    expect(trimClip(clips, 1, "out", 5.4, 48).timeline?.[1]).toEqual({ node_id: "b", trim_in: 2, trim_out: 5 });
    expect(trimClip(clips, 1, "in", -3, 48).timeline?.[1].trim_in).toBe(0);
    expect(trimClip(clips, 1, "out", 100, 48).timeline?.[1].trim_out).toBe(45); // 48 - 2 in - 1 left
    expect(trimClip(clips, 1, "in", 100).timeline?.[1].trim_in).toBe(100); // take length not known yet
    expect(trimClip(clips, 1, "in", 4, 48).timeline?.[0]).toBe(clips[0]);
  });
});

describe("setClipAudio", () => {
  it("keeps whole-frame offsets and volumes between silent and +12 dB", () => {
    const set = setClipAudio(clips, 0, { audio_offset: -2.6, volume: 5 }).timeline?.[0];
    expect(set).toEqual({ node_id: "a", audio_offset: -3, volume: 4 });
    expect(setClipAudio(clips, 0, { volume: 0.333 }).timeline?.[0].volume).toBe(0.33);
  });
});

describe("setTransition", () => {
  it("puts one transition on a cut, replacing what was there; a cut or 0 frames removes it", () => {
    expect(setTransition([wipeAfterB], 0, "fade_to_black", 8).transitions).toEqual([
      { after_clip: 0, kind: "fade_to_black", frames: 8 },
      wipeAfterB,
    ]);
    expect(setTransition([wipeAfterB], 1, "dissolve").transitions).toEqual([
      { after_clip: 1, kind: "dissolve", frames: 12 },
    ]);
    expect(setTransition([wipeAfterB], 1, "cut").transitions).toEqual([]);
    expect(setTransition([wipeAfterB], 1, "wipe", 0).transitions).toEqual([]);
  });
});

describe("titles", () => {
  it("adds, edits and removes titles in whole frames, at least one frame long", () => {
    const title = { text: "THE END", start_frame: 10.2, frames: 0, position: "center" as const };
    const added = addTitle([], title).titles ?? [];
    expect(added).toEqual([{ text: "THE END", start_frame: 10, frames: 1, position: "center" }]);
    const edited = updateTitle(added, 0, { start_frame: -4, frames: 24, text: "FIN" }).titles ?? [];
    expect(edited).toEqual([{ text: "FIN", start_frame: 0, frames: 24, position: "center" }]);
    expect(removeTitle(edited, 0).titles).toEqual([]);
  });
});

describe("setAudioTrack", () => {
  it("places a connected music track, making its entry the first time", () => {
    const made = setAudioTrack([], "music", { offset: 24.4 }).audio_tracks ?? [];
    expect(made).toEqual([{ node_id: "music", offset: 24 }]);
    const louder = setAudioTrack([...made, { node_id: "vo" }], "music", { volume: 0.5 }).audio_tracks;
    expect(louder).toEqual([{ node_id: "music", offset: 24, volume: 0.5 }, { node_id: "vo" }]);
  });
});
