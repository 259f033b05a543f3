import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TYPING_PAUSE_MS, TypingBuffer } from "./typing";

describe("TypingBuffer", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("merges a burst of typing into one update per node, sent when typing pauses", async () => {
    const sent: [string, Record<string, unknown>][] = [];
    const typing = new TypingBuffer(async (node, data) => void sent.push([node, data]));
    typing.add("a", { prompt: "a l" });
    typing.add("b", { seed: 3 });
    typing.add("a", { prompt: "a lighthouse", seed: 1 });
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS - 1);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([
      ["b", { seed: 3 }],
      ["a", { prompt: "a lighthouse", seed: 1 }],
    ]);
  });

  it("sends at once when asked, and forgets what a removed node or a full sync supersedes", async () => {
    const sent: string[] = [];
    const typing = new TypingBuffer(async (node) => void sent.push(node));
    typing.add("now", { x: 1 }, false);
    expect(sent).toEqual(["now"]);
    typing.add("gone", { x: 1 });
    typing.drop("gone");
    typing.add("stale", { x: 1 });
    typing.clear();
    typing.add("kept", { x: 1 });
    await typing.flush("kept");
    await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS * 2);
    expect(sent).toEqual(["now", "kept"]);
  });
});
