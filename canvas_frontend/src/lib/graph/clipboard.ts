// Copy and paste of part of a graph: what is copied (the chosen nodes, what they contain, the edges
// between them) and the ops that paste it as new nodes with fresh ids, next shot ids and no takes.
import type { CanvasEdge, CanvasNode, GraphOp, Position } from "../types/contracts";
import { nextShotId, parentsFirst, withDescendants, type Graph, type GraphNode } from "./ops";

export const CLIP_KIND = "studio-canvas-clip";

export interface Clip {
  kind: typeof CLIP_KIND;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
}

/** A node's position on the canvas, adding up the positions of the groups it sits in. */
export function absolutePosition(byId: ReadonlyMap<string, GraphNode>, node: GraphNode): Position {
  let { x, y } = node.position;
  const seen = new Set([node.id]);
  for (
    let parent = byId.get(node.parentId ?? "");
    parent && !seen.has(parent.id);
    parent = byId.get(parent.parentId ?? "")
  ) {
    seen.add(parent.id);
    x += parent.position.x;
    y += parent.position.y;
  }
  return { x, y };
}

/** The clip of `ids`: a node copied without its group is placed where it is seen, outside any group. */
export function copyNodes(graph: Graph, ids: readonly string[]): Clip | null {
  const chosen = withDescendants(graph.nodes, ids);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = graph.nodes
    .filter((n) => chosen.has(n.id))
    .map((n): CanvasNode => {
      const copy: CanvasNode = {
        id: n.id,
        type: n.type,
        position: { ...n.position },
        data: structuredClone(n.data),
        ...pick(n),
      };
      if (n.parentId && !chosen.has(n.parentId)) {
        delete copy.parentId;
        copy.position = absolutePosition(byId, n);
      }
      return copy;
    });
  if (nodes.length === 0) return null;
  const edges = graph.edges.filter((e) => chosen.has(e.source) && chosen.has(e.target)).map((e) => ({ ...e }));
  return { kind: CLIP_KIND, nodes: parentsFirst(nodes), edges };
}

function pick(node: GraphNode): Partial<CanvasNode> {
  const out: Partial<CanvasNode> = {};
  if (node.parentId) out.parentId = node.parentId;
  if (node.width !== undefined) out.width = node.width;
  if (node.height !== undefined) out.height = node.height;
  return out;
}

/** A clip read back from text (another tab, an older copy): null unless it has the clip's shape. */
export function parseClip(text: string | null): Clip | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Clip>;
    if (value?.kind !== CLIP_KIND || !Array.isArray(value.nodes) || !Array.isArray(value.edges)) return null;
    const valid = value.nodes.every(
      (n) => typeof n?.id === "string" && typeof n.position?.x === "number" && typeof n.position?.y === "number",
    );
    return valid && value.nodes.length > 0 ? (value as Clip) : null;
  } catch {
    return null;
  }
}

/**
 * The ops that paste `clip` into `graph`: top-level nodes are moved so the clip's top-left corner lands
 * at `at`; ids are fresh; a shot gets the next free shot id; takes stay with the node they belong to.
 */
export function pasteOps(
  clip: Clip,
  graph: Graph,
  at: Position,
  newId: (prefix: string) => string,
): { ops: GraphOp[]; ids: string[] } {
  const top = clip.nodes.filter((n) => !n.parentId);
  const left = Math.min(...top.map((n) => n.position.x));
  const upper = Math.min(...top.map((n) => n.position.y));
  const ids = new Map(
    clip.nodes.map((n) => [n.id, newId((n.type ?? "node").replace(/[^A-Za-z0-9]/g, "").toLowerCase())]),
  );
  const known = [...graph.nodes];
  const ops: GraphOp[] = [];
  for (const node of clip.nodes) {
    const data = { ...node.data };
    delete data.active_take;
    if (typeof data.shot_id === "string") data.shot_id = nextShotId(known);
    const pasted: CanvasNode = {
      id: ids.get(node.id)!,
      type: node.type,
      position: node.parentId
        ? { ...node.position }
        : { x: Math.round(at.x + node.position.x - left), y: Math.round(at.y + node.position.y - upper) },
      data,
      ...pick({ ...node, parentId: node.parentId ? ids.get(node.parentId) : undefined }),
    };
    known.push(pasted);
    ops.push({ op: "add_node", node: pasted });
  }
  for (const edge of clip.edges) {
    const source = ids.get(edge.source);
    const target = ids.get(edge.target);
    if (!source || !target) continue;
    ops.push({
      op: "add_edge",
      edge: {
        id: newId("e"),
        source,
        target,
        sourceHandle: edge.sourceHandle ?? null,
        targetHandle: edge.targetHandle ?? null,
      },
    });
  }
  return { ops, ids: [...ids.values()] };
}
