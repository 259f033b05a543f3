// Which nodes and edges Svelte Flow mounts on a large graph. Its own `onlyRenderVisibleElements` mounts the
// nodes in view and unmounts every other one, recomputed on each frame of a pan: panning the overview of
// 1,000 nodes mounted and unmounted thousands of nodes a second (benchmarks/canvas_render.py). Here a node or
// edge is mounted once it comes near the view and stays mounted (off-screen, NodeFrame's drawing budget skips
// its layout and paint): only what was never near the view is left out, so the first render mounts what is in
// view. "Near" is the view plus half a view on each side, moved only when the view leaves it, so a pan mounts in
// a few steps and most of its frames compute nothing. Svelte Flow has no option for this: its store's `visible`
// (what it mounts, with every node and edge when onlyRenderVisibleElements is off) is filtered, on this store
// only; @xyflow/svelte is pinned, and tests/browser/test_canvas.py checks the behaviour.
import type { useStore } from "@xyflow/svelte";
import { whenIdle } from "./idle";

type FlowStore = ReturnType<typeof useStore>;
type Visible = FlowStore["visible"];

interface Rect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const MARGIN = 0.5; // of the view's width and height, each side

// After the first render, once the page has been idle a moment, the area around the view is mounted too: a
// first pan would otherwise mount it all in one frame, a pause at its start.
const LOOK_AHEAD_AFTER_MS = 500;

export function keepSeenNodesMounted(store: FlowStore): void {
  const everything = visibleGetter(store);
  const near = new Near();
  let ahead = $state(false);
  const mounted = $derived.by(() => near.filter(everything.call(store), store, ahead));
  Object.defineProperty(store, "visible", { get: () => mounted, configurable: true });
  $effect(() => {
    if (ahead || mounted.nodes.size === 0) return;
    return whenIdle(() => (ahead = true), LOOK_AHEAD_AFTER_MS);
  });
}

/** The nodes and edges seen near the view so far, and the area around the view that has been looked at. */
export class Near {
  readonly #nodes = new Set<string>();
  readonly #edges = new Set<string>();
  #area: Rect | null = null;
  #ahead = false;
  #all: Visible | null = null;
  #shown: Visible | null = null;

  /** What to mount of `all` (every node and edge) with the view at `store`'s viewport: the same object while
   * nothing new comes near, so nothing downstream runs. Until `ahead`, the view is looked at as it is (the first
   * render mounts only what is in view); from then on, with half a view around it. */
  filter(all: Visible, store: Pick<FlowStore, "viewport" | "width" | "height">, ahead: boolean): Visible {
    const view = viewRect(store);
    const inside = this.#area !== null && contains(this.#area, view) && this.#ahead === ahead;
    if (inside && all === this.#all && this.#shown) return this.#shown;
    if (!inside) this.#area = ahead ? grow(view, MARGIN) : view;
    this.#ahead = ahead;
    const area = this.#area!;
    for (const [id, node] of all.nodes) {
      if (this.#nodes.has(id)) continue;
      const { x, y } = node.internals.positionAbsolute;
      const width = node.measured.width ?? node.width ?? node.initialWidth ?? 0;
      const height = node.measured.height ?? node.height ?? node.initialHeight ?? 0;
      if (overlaps(area, { left: x, top: y, right: x + width, bottom: y + height })) this.#nodes.add(id);
    }
    // An edge near the view mounts, and an edge between two mounted nodes. Its ends need not be mounted (Svelte
    // Flow's own mounts both): a node not measured yet has its handles from its type (frameHint.ts).
    for (const [id, edge] of all.edges) {
      if (this.#edges.has(id)) continue;
      const box = {
        left: Math.min(edge.sourceX, edge.targetX),
        top: Math.min(edge.sourceY, edge.targetY),
        right: Math.max(edge.sourceX, edge.targetX),
        bottom: Math.max(edge.sourceY, edge.targetY),
      };
      if (!overlaps(area, box) && !(this.#nodes.has(edge.source) && this.#nodes.has(edge.target))) continue;
      this.#edges.add(id);
    }
    // In Svelte Flow's order: a node or edge never moves among its siblings in the DOM.
    const nodes: Visible["nodes"] = new Map();
    for (const [id, node] of all.nodes) if (this.#nodes.has(id)) nodes.set(id, node);
    const edges: Visible["edges"] = new Map();
    for (const [id, edge] of all.edges) if (this.#edges.has(id)) edges.set(id, edge);
    this.#all = all;
    this.#shown = { nodes, edges };
    return this.#shown;
  }
}

function viewRect({ viewport, width, height }: Pick<FlowStore, "viewport" | "width" | "height">): Rect {
  const left = -viewport.x / viewport.zoom;
  const top = -viewport.y / viewport.zoom;
  return { left, top, right: left + width / viewport.zoom, bottom: top + height / viewport.zoom };
}

function grow(rect: Rect, by: number): Rect {
  const dx = (rect.right - rect.left) * by;
  const dy = (rect.bottom - rect.top) * by;
  return { left: rect.left - dx, top: rect.top - dy, right: rect.right + dx, bottom: rect.bottom + dy };
}

const contains = (outer: Rect, inner: Rect) =>
  inner.left >= outer.left && inner.top >= outer.top && inner.right <= outer.right && inner.bottom <= outer.bottom;

const overlaps = (a: Rect, b: Rect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

function visibleGetter(store: FlowStore): () => Visible {
  for (let proto = Object.getPrototypeOf(store); proto; proto = Object.getPrototypeOf(proto)) {
    const getter = Object.getOwnPropertyDescriptor(proto, "visible")?.get;
    if (getter) return getter as () => Visible;
  }
  throw new Error("Svelte Flow's store has no `visible` getter: @xyflow/svelte changed; see keepSeen.svelte.ts.");
}
