import { describe, expect, it } from "vitest";
import { comparePair, shownTake, takeLabel, type TakeRef } from "./takes";

const take = (n: number, extra: Partial<TakeRef> = {}): TakeRef => ({
  path: `03_Renders/SCENE_01/SHOT_010/SHOT-010_v01_take0${n}.png`,
  take: n,
  url: `/files/take0${n}.png`,
  thumbnail_url: null,
  ...extra,
});
const takes = [take(1), take(2), take(3)];

describe("shownTake", () => {
  it("is the chosen take, else the newest: the take the server assembles", () => {
    expect(shownTake(takes, takes[0].path)?.take).toBe(1);
    expect(shownTake(takes, undefined)?.take).toBe(3);
    expect(shownTake(takes, "")?.take).toBe(3);
    expect(shownTake(takes, "03_Renders/gone.png")).toBeUndefined();
    expect(shownTake([], undefined)).toBeUndefined();
  });
});

describe("comparePair", () => {
  it("puts the shown take against the newest other, older one first", () => {
    expect(comparePair(takes, takes[0].path)).toEqual([takes[0].path, takes[2].path]);
    expect(comparePair(takes, takes[2].path)).toEqual([takes[1].path, takes[2].path]);
    expect(comparePair(takes, undefined)).toEqual([takes[1].path, takes[2].path]);
  });

  it("needs two takes", () => {
    expect(comparePair([take(1)], undefined)).toBeNull();
  });
});

describe("takeLabel", () => {
  it("names the take, its pipeline and when it was made (the day too, if not today)", () => {
    const made = take(3, { pipeline: "cpu-storyboard", created_at: "2024-05-01T14:03:09" });
    expect(takeLabel(made, new Date("2024-05-01T20:00:00"))).toBe("Take 03 · cpu-storyboard · 14:03:09");
    expect(takeLabel(made, new Date("2024-05-02T09:00:00"))).toBe("Take 03 · cpu-storyboard · 2024-05-01 14:03");
    expect(takeLabel(take(12))).toBe("Take 12");
    expect(takeLabel(take(1, { created_at: "not a date" }))).toBe("Take 01");
  });
});
