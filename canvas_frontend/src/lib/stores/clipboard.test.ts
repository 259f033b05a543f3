import { afterEach, describe, expect, it, vi } from "vitest";
import { CLIP_KIND, type Clip } from "../graph/clipboard";
import { CLIPBOARD_KEY, ClipboardStorage } from "./clipboard";

const clip = (id: string): Clip => ({
  kind: CLIP_KIND,
  nodes: [{ id, type: "ShotNode", position: { x: 0, y: 0 }, data: {} }],
  edges: [],
});

describe("ClipboardStorage", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shares a copy with other tabs through localStorage, the newest copy winning", () => {
    const stored = new Map<string, string>();
    vi.stubGlobal("localStorage", {
      getItem: (key: string) => stored.get(key) ?? null,
      setItem: (key: string, value: string) => void stored.set(key, value),
    });
    const here = new ClipboardStorage();
    const otherTab = new ClipboardStorage();
    here.put(clip("a"));
    expect(JSON.parse(stored.get(CLIPBOARD_KEY)!).nodes[0].id).toBe("a");
    expect(otherTab.get()?.nodes[0].id).toBe("a");
    otherTab.put(clip("b"));
    expect(here.get()?.nodes[0].id).toBe("b");
  });

  it("keeps the copy in this tab when storage refuses it", () => {
    vi.stubGlobal("localStorage", {
      getItem: () => {
        throw new Error("disabled");
      },
      setItem: () => {
        throw new Error("quota exceeded");
      },
    });
    const storage = new ClipboardStorage();
    expect(storage.get()).toBeNull();
    storage.put(clip("a"));
    expect(storage.get()?.nodes[0].id).toBe("a");
  });
});
