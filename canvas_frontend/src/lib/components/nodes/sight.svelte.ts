// When a node's body is first worth drawing: in view, at a zoom where its text can be read. Until then a node
// draws its frame (title and ports, which Svelte Flow measures the handles on) and a box where its body goes,
// so a 1,000-node canvas mounts 1,000 frames and only the bodies the user looks at.
import { getContext, setContext } from "svelte";

const KEY = Symbol("node-sight");
/** A body box before any body of the node's type was drawn (BodyGauge draws one of each type in the graph first,
 * so this is for a node of a type added later): about a form of three fields and a button. */
const FIRST_GUESS: BodyBox = { width: 260, height: 150 };

export interface BodyBox {
  width: number;
  height: number;
}

export class NodeSight {
  /** The zoom is high enough to read a node (Canvas sets it as the view zooms). */
  readable = $state(true);
  readonly #seen = new Map<Element, (inView: boolean) => void>();
  readonly #observer: IntersectionObserver | null;
  // The last drawn body of each type: the box of a body not drawn yet, so the node is about its size.
  readonly #bodies = new Map<string, BodyBox>();
  readonly #reads = new Set<{ read: () => void; frames: number }>();
  #frame: number | null = null;

  constructor() {
    // One observer for every node: the browser computes intersections in its own frame work, no per-node
    // reaction to the viewport while panning.
    this.#observer =
      typeof IntersectionObserver === "undefined"
        ? null
        : new IntersectionObserver((entries) => {
            for (const entry of entries) this.#seen.get(entry.target)?.(entry.isIntersecting);
          });
  }

  /** Calls `seen` with whether `element` is in the page's view, at once and on every change, until the returned
   * function is called. */
  watch(element: Element, seen: (inView: boolean) => void): () => void {
    if (!this.#observer) {
      seen(true);
      return () => {};
    }
    this.#seen.set(element, seen);
    this.#observer.observe(element);
    return () => {
      this.#seen.delete(element);
      this.#observer?.unobserve(element);
    };
  }

  /** Runs `read` in the animation frame `frames` from now, together with every other node's: reads of layout all
   * come before the writes they lead to, so the browser lays the canvas out once, not once per node. */
  afterLayout(read: () => void, frames = 1): () => void {
    const entry = { read, frames };
    this.#reads.add(entry);
    this.#frame ??= requestAnimationFrame(() => this.#runReads());
    return () => this.#reads.delete(entry);
  }

  #runReads(): void {
    this.#frame = null;
    const due = [...this.#reads].filter((entry) => --entry.frames <= 0);
    for (const entry of due) this.#reads.delete(entry);
    if (this.#reads.size > 0) this.#frame = requestAnimationFrame(() => this.#runReads());
    for (const entry of due) entry.read();
  }

  bodyBox(typeId: string | undefined): BodyBox {
    return this.#bodies.get(typeId ?? "") ?? FIRST_GUESS;
  }

  drewBody(typeId: string | undefined, width: number, height: number): void {
    if (typeId && width > 0 && height > 0) this.#bodies.set(typeId, { width, height });
  }

  disconnect(): void {
    if (this.#frame !== null) cancelAnimationFrame(this.#frame);
    this.#reads.clear();
    this.#observer?.disconnect();
    this.#seen.clear();
  }
}

const GAUGE_KEY = Symbol("body-gauge");

/** Inside the body gauge (BodyGauge.svelte): a node draws its body at once, with plain handles. */
export function provideBodyGauge(): void {
  setContext(GAUGE_KEY, true);
}

export function inBodyGauge(): boolean {
  return getContext<boolean | undefined>(GAUGE_KEY) === true;
}

export function provideNodeSight(sight: NodeSight): void {
  setContext(KEY, sight);
}

/** The canvas's sight; undefined outside a canvas (a node drawn there draws its body at once). */
export function useNodeSight(): NodeSight | undefined {
  return getContext<NodeSight | undefined>(KEY);
}
