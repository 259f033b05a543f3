import { describe, expect, it } from "vitest";
import { Near } from "./keepSeen.svelte";

type Filtered = Parameters<Near["filter"]>[0];

// Nodes 100 by 100 at x = 0, 1000, 2000 … (y = 0), and with `edge` an edge from the first to the last.
function graph(count: number, edge = false): Filtered {
  const nodes = new Map();
  for (let i = 0; i < count; i++) {
    const id = `n${i}`;
    nodes.set(id, {
      id,
      hidden: false,
      measured: { width: 100, height: 100 },
      internals: { positionAbsolute: { x: i * 1000, y: 0 } },
    });
  }
  const edges = new Map(
    edge
      ? [
          [
            "e",
            {
              id: "e",
              source: "n0",
              target: `n${count - 1}`,
              sourceX: 100,
              sourceY: 50,
              targetX: (count - 1) * 1000,
              targetY: 50,
            },
          ],
        ]
      : [],
  );
  return { nodes, edges } as unknown as Filtered;
}

// The view of a 800 by 600 pane at zoom 1 whose left edge is at flow x = `left` (its top at y = -100).
const view = (left: number) => ({ viewport: { x: -left, y: 100, zoom: 1 }, width: 800, height: 600 });

describe("Near", () => {
  it("mounts only what is in the first view, and an edge crossing it without its far end", () => {
    const near = new Near();
    expect([...near.filter(graph(10), view(-100), false).nodes.keys()]).toEqual(["n0"]);
    // n2 is out of view, the edge from n0 to it crosses the view: the edge mounts, n2 does not.
    const shown = new Near().filter(graph(3, true), view(-100), false);
    expect([...shown.nodes.keys()]).toEqual(["n0"]);
    expect([...shown.edges.keys()]).toEqual(["e"]);
  });

  it("mounts an edge between two mounted nodes, wherever it runs", () => {
    const all = graph(3, true);
    const edge = all.edges.get("e")!;
    all.edges.set("e", { ...edge, sourceY: 5000, targetY: 5000 }); // far below every view
    const near = new Near();
    expect([...near.filter(all, view(-100), false).edges.keys()]).toEqual([]);
    const moved = near.filter(all, view(1900), true);
    expect([...moved.nodes.keys()]).toEqual(["n0", "n2"]);
    expect([...moved.edges.keys()]).toEqual(["e"]);
  });

  it("keeps a node mounted out of view, mounts half a view ahead in one step, and is unchanged while the view stays there", () => {
    const near = new Near();
    const all = graph(10);
    near.filter(all, view(-100), false);
    // Moved right by 1000: n1 comes into view; the area is now 400 wider each side, reaching n2 (at 2000).
    const moved = near.filter(all, view(900), true);
    expect([...moved.nodes.keys()]).toEqual(["n0", "n1", "n2"]);
    expect(near.filter(all, view(1000), true)).toBe(moved); // inside the area: nothing recomputed
    // Far to the right: n0 to n2 stay, n7 and n8 come near, n3 to n6 (never near) stay out.
    expect([...near.filter(all, view(7000), true).nodes.keys()]).toEqual(["n0", "n1", "n2", "n7", "n8"]);
  });

  it("mounts half a view around the view once asked to look ahead, without the view moving", () => {
    const near = new Near();
    const all = graph(10);
    expect([...near.filter(all, view(-100), false).nodes.keys()]).toEqual(["n0"]);
    // The view is -100..700; with 400 each side it reaches n1 (at 1000).
    expect([...near.filter(all, view(-100), true).nodes.keys()]).toEqual(["n0", "n1"]);
  });

  it("mounts a node added to the graph in view without the view moving", () => {
    const near = new Near();
    near.filter(graph(1), view(-100), false);
    const grown = graph(1);
    grown.nodes.set("new", {
      ...grown.nodes.get("n0")!,
      id: "new",
      internals: { positionAbsolute: { x: 300, y: 100 } },
    } as unknown as ReturnType<Filtered["nodes"]["get"]> & object);
    expect([...near.filter(grown, view(-100), false).nodes.keys()]).toEqual(["n0", "new"]);
  });
});
