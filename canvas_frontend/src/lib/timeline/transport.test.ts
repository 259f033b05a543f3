import { describe, expect, it } from "vitest";
import { Transport } from "./transport";

describe("Transport", () => {
  it("advances one frame per frame duration while playing, and holds while paused", () => {
    const t = new Transport(24, 100);
    expect(t.frameAt(5000)).toBe(0);
    t.play(1000);
    expect(t.frameAt(1000 + 1000 / 24 - 1)).toBe(0);
    expect(t.frameAt(1000 + 1000 / 24)).toBe(1);
    expect(t.frameAt(2000)).toBe(24);
    t.pause(2500);
    expect(t.frameAt(9000)).toBe(36);
    expect(t.playing).toBe(false);
  });

  it("counts at the rate of the sequence, 12 fps as 12", () => {
    const t = new Transport(12, 100);
    t.play(0);
    expect(t.frameAt(1000)).toBe(12);
  });

  it("stops on the last frame and plays again from the start", () => {
    const t = new Transport(24, 48);
    t.play(0);
    expect(t.frameAt(10_000)).toBe(47);
    expect(t.playing).toBe(false);
    t.play(20_000);
    expect(t.frameAt(20_000)).toBe(0);
  });

  it("seeks within the sequence, playing on from there, and keeps its frame when the cut changes", () => {
    const t = new Transport(24, 48);
    t.seek(-3, 0);
    expect(t.frameAt(0)).toBe(0);
    t.seek(500, 0);
    expect(t.frameAt(0)).toBe(47);
    t.seek(10, 0);
    t.play(100);
    t.seek(20, 200);
    expect(t.frameAt(200 + 1000)).toBe(44);
    t.pause(1200);
    t.reshape(24, 30, 1300);
    expect(t.frameAt(1300)).toBe(29);
  });
});
