// Svelte Flow (onlyRenderVisibleElements) mounts the nodes in view and unmounts every other node, on each
// frame of a pan: panning the overview of a large graph mounted and unmounted thousands of nodes a second
// (benchmarks/canvas_render.py). Here a node, once mounted, stays mounted: only nodes never in view are left
// out (the first render mounts what is in view), and a node out of view costs little (NodeFrame's drawing
// budget skips its layout and paint). Svelte Flow has no option for it: its store's `visible` (the nodes and
// edges it mounts) is wrapped, on this store only; @xyflow/svelte is pinned, and tests/browser/test_canvas.py
// checks the behaviour.
import type { useStore } from "@xyflow/svelte";

type FlowStore = ReturnType<typeof useStore>;
type Visible = FlowStore["visible"];

export function keepSeenNodesMounted(store: FlowStore): void {
  const inView = visibleGetter(store);
  const seen = new Set<string>();
  const mounted = $derived.by((): Visible => {
    const shown = inView.call(store);
    for (const id of shown.nodes.keys()) seen.add(id);
    // In the graph's order, as Svelte Flow's own list: a node never moves among its siblings in the DOM.
    const nodes: Visible["nodes"] = new Map();
    for (const [id, node] of store.nodeLookup) if (seen.has(id) && !node.hidden) nodes.set(id, node);
    return { nodes, edges: shown.edges };
  });
  Object.defineProperty(store, "visible", { get: () => mounted, configurable: true });
}

function visibleGetter(store: FlowStore): () => Visible {
  for (let proto = Object.getPrototypeOf(store); proto; proto = Object.getPrototypeOf(proto)) {
    const getter = Object.getOwnPropertyDescriptor(proto, "visible")?.get;
    if (getter) return getter as () => Visible;
  }
  throw new Error("Svelte Flow's store has no `visible` getter: @xyflow/svelte changed; see keepSeen.svelte.ts.");
}
