import { afterEach, describe, expect, it, vi } from "vitest";
import { Notices } from "./notices.svelte";

describe("Notices", () => {
  afterEach(() => vi.useRealTimers());

  it("shows the last five, each until its time is up or it is dismissed", () => {
    vi.useFakeTimers();
    const notices = new Notices();
    for (let i = 1; i <= 6; i++) notices.push("info", `n${i}`);
    expect(notices.list.map((n) => n.message)).toEqual(["n2", "n3", "n4", "n5", "n6"]);
    notices.dismiss(notices.list[0].id);
    expect(notices.list.map((n) => n.message)).toEqual(["n3", "n4", "n5", "n6"]);
    notices.push("error", "stays", 0);
    vi.advanceTimersByTime(6000);
    expect(notices.list.map((n) => [n.level, n.message])).toEqual([["error", "stays"]]);
  });
});
