// A node's size and handle positions before Svelte Flow has measured it, from its type: with them Svelte Flow
// mounts only the nodes near the view (keepSeen.svelte.ts), where without them it mounts every node once to
// measure it. A node not yet mounted is drawn, once mounted, as NodeFrame draws an unseen node (title,
// ports, and the body box of its type), so that is the box estimated here; once measured, Svelte Flow's own
// measurements replace the hint (`FrameHints`). The numbers follow NodeFrame's styles (a browser test in
// tests/browser/test_canvas.py compares a hinted edge end with the drawn socket).
import { Position, type Node, type NodeProps } from "@xyflow/svelte";
import type { NodeType } from "$lib/types/contracts";
import { hiddenInputs } from "$lib/graph/hidden";
import { licenceBadge } from "$lib/graph/licences";
import type { BodyBox } from "./sight.svelte";
import type { FlowNode } from "$lib/stores/project.svelte";

type Handles = NonNullable<Node["handles"]>;

const BORDER = 1; // .node border
const HEADER = 32; // header: 8 px padding, a 13 px title line, its bottom border
const HEADER_WITH_BADGE = 35; // a CPU or licence badge is a little taller than the title
const PORTS_PADDING = 6; // .ports padding, top and bottom
const PORT_ROW = 20; // a port's 3 px padding, top and bottom, around a 12 px line; rows are 2 px apart
const PORT_GAP = 2;
const HANDLE = 10; // .port .svelte-flow__handle, border included
const MIN_WIDTH = 220;

export interface FrameHint {
  initialWidth: number;
  initialHeight: number;
  handles: Handles;
}

/** The box and handles of a node of `type` drawn with an unseen body of `body`'s size. */
export function frameHint(
  type: NodeType,
  data: NodeProps["data"],
  connected: ReadonlySet<string>,
  body: BodyBox | null,
): FrameHint {
  const hidden = hiddenInputs(type.ui ?? {}, data);
  const inputs = type.inputs.filter((p) => !hidden.includes(p.name) || connected.has(p.name));
  const rows = Math.max(inputs.length, type.outputs.length);
  const ports = rows ? 2 * PORTS_PADDING + rows * PORT_ROW + (rows - 1) * PORT_GAP : 0;
  const width = Math.max(MIN_WIDTH, (body?.width ?? 0) + 2 * BORDER);
  const header = type.cpu_only || licenceBadge(type) ? HEADER_WITH_BADGE : HEADER;
  const height = 2 * BORDER + header + ports + (body?.height ?? 0);
  // A handle's box relative to the node: centred on the frame's left or right edge, and on its port's row.
  const handleY = (row: number) =>
    BORDER + header + PORTS_PADDING + row * (PORT_ROW + PORT_GAP) + (PORT_ROW - HANDLE) / 2;
  const handles: Handles = [
    ...inputs.map((p, row) => ({
      id: p.name,
      type: "target" as const,
      position: Position.Left,
      x: BORDER - HANDLE / 2,
      y: handleY(row),
      width: HANDLE,
      height: HANDLE,
    })),
    ...type.outputs.map((p, row) => ({
      id: p.name,
      type: "source" as const,
      position: Position.Right,
      x: width - BORDER - HANDLE / 2,
      y: handleY(row),
      width: HANDLE,
      height: HANDLE,
    })),
  ];
  return { initialWidth: width, initialHeight: height, handles };
}

/** The nodes Svelte Flow is given and the nodes the store keeps: a node Svelte Flow has not measured is given
 * with its hint, and a node Svelte Flow hands back is kept without one (so its measurements, once made, are
 * what it uses). Each node keeps one object either side, so Svelte Flow re-adopts only the nodes that changed. */
export class FrameHints {
  readonly #hinted = new WeakMap<FlowNode, FlowNode>();
  readonly #original = new WeakMap<FlowNode, FlowNode>();

  constructor(private readonly hint: (node: FlowNode) => FrameHint | null) {}

  show(node: FlowNode): FlowNode {
    if (node.measured?.width !== undefined) return node;
    let hinted = this.#hinted.get(node);
    if (!hinted) {
      const hint = this.hint(node);
      if (!hint) return node;
      hinted = { ...node, ...hint };
      this.#hinted.set(node, hinted);
      this.#original.set(hinted, node);
    }
    return hinted;
  }

  keep(node: FlowNode): FlowNode {
    const original = this.#original.get(node);
    if (original) return original;
    if (!node.handles) return node;
    const { handles, initialWidth, initialHeight, ...kept } = node;
    return kept;
  }
}
