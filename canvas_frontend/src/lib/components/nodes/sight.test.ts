import { afterEach, describe, expect, it, vi } from "vitest";
import { NodeSight } from "./sight.svelte";

/** The browser's IntersectionObserver, driven by the test: `show(element, inView)` is a layout pass. */
class FakeObserver {
  static last: FakeObserver;
  readonly observed = new Set<Element>();
  constructor(private readonly callback: (entries: Partial<IntersectionObserverEntry>[]) => void) {
    FakeObserver.last = this;
  }
  observe(element: Element) {
    this.observed.add(element);
  }
  unobserve(element: Element) {
    this.observed.delete(element);
  }
  disconnect() {
    this.observed.clear();
  }
  show(target: Element, isIntersecting: boolean) {
    if (this.observed.has(target)) this.callback([{ target, isIntersecting }]);
  }
}

const element = (name: string) => ({ name }) as unknown as Element;

describe("NodeSight", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("tells each watched node when it enters or leaves the view, until it stops watching", () => {
    vi.stubGlobal("IntersectionObserver", FakeObserver);
    const sight = new NodeSight();
    const [a, b] = [element("a"), element("b")];
    const seen: string[] = [];
    const stopA = sight.watch(a, (inView) => seen.push(`a ${inView}`));
    sight.watch(b, (inView) => seen.push(`b ${inView}`));
    FakeObserver.last.show(a, true);
    FakeObserver.last.show(b, false);
    stopA();
    FakeObserver.last.show(a, false);
    expect(seen).toEqual(["a true", "b false"]);
    expect([...FakeObserver.last.observed]).toEqual([b]);
  });

  it("without an IntersectionObserver every node is in view at once (its body is drawn)", () => {
    vi.stubGlobal("IntersectionObserver", undefined);
    const seen: boolean[] = [];
    new NodeSight().watch(element("a"), (inView) => seen.push(inView));
    expect(seen).toEqual([true]);
  });

  it("sizes a body not drawn yet like the last drawn body of its type", () => {
    const sight = new NodeSight();
    const firstGuess = sight.bodyBox("ShotNode");
    sight.drewBody("ShotNode", 286, 412);
    sight.drewBody("AssetNode", 0, 0); // a body with no layout (hidden) says nothing about its size
    expect(sight.bodyBox("ShotNode")).toEqual({ width: 286, height: 412 });
    expect(sight.bodyBox("AssetNode")).toEqual(firstGuess);
    expect(sight.bodyBox(undefined)).toEqual(firstGuess);
  });

  it("runs every node's layout reads in one animation frame, each in the frame it asked for, until cancelled", () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
    vi.stubGlobal("cancelAnimationFrame", () => {});
    const sight = new NodeSight();
    const ran: string[] = [];
    sight.afterLayout(() => ran.push("a"));
    sight.afterLayout(() => ran.push("b"), 2);
    const cancel = sight.afterLayout(() => ran.push("c"));
    cancel();
    expect(frames).toHaveLength(1); // one frame asked for all of them
    frames.shift()!(0);
    expect(ran).toEqual(["a"]);
    frames.shift()!(16);
    expect(ran).toEqual(["a", "b"]);
    expect(frames).toHaveLength(0);
  });
});
