// Pure reducers of the live graph: each GraphOp (schemas/graph-ops.schema.json) as a function from one
// graph to the next. The project store applies its own edits and other clients' patches with them.
import type { ClientEventName } from "../realtime/events";
import type { CanvasEdge, CanvasNode, GraphOp, NodeMove, Position } from "../types/contracts";

/** The fields of a node that ops read and write: a CanvasNode has them, and so has a Svelte Flow node
 * (which carries view state besides, such as selection and measured size). */
export type GraphNode = Pick<CanvasNode, "id" | "type" | "position" | "data" | "parentId" | "width" | "height">;

/** The nodes and edges ops work on: the server's, or Svelte Flow's. */
export interface Graph<N extends GraphNode = GraphNode, E extends CanvasEdge = CanvasEdge> {
  nodes: N[];
  edges: E[];
}

/** Whether `list` has an item: what an op's id list (NodeIds) needs. */
export function nonEmpty<T>(list: T[]): list is [T, ...T[]] {
  return list.length > 0;
}

/** Shallow merge; a key set to null is removed (as on the server). */
export function mergeData(data: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...data };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** The nodes removed with `ids`: the nodes themselves and every node they contain, transitively. */
export function withDescendants(nodes: readonly GraphNode[], ids: readonly string[]): Set<string> {
  const removed = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of nodes) {
      if (node.parentId && removed.has(node.parentId) && !removed.has(node.id)) {
        removed.add(node.id);
        grew = true;
      }
    }
  }
  return removed;
}

/** A move: the new position, and for `parentId` a string sets the group, null clears it, absent keeps it;
 * `width`/`height` resize the node (a group). */
function moveNode<N extends GraphNode>(node: N, move: NodeMove): N {
  const moved = { ...node, position: move.position };
  if (move.parentId === null) delete moved.parentId;
  else if (move.parentId !== undefined) moved.parentId = move.parentId;
  if (move.width !== undefined) moved.width = move.width;
  if (move.height !== undefined) moved.height = move.height;
  return moved;
}

/** `nodes` with every group before the nodes it contains, as Svelte Flow needs: a node listed before its
 * parent moves, with what it contains, to just after the parent; all others keep their order.
 * The same function as server/projects/graph_ops.py `parents_first`: clients and server must agree. */
export function parentsFirst<N extends GraphNode>(nodes: readonly N[]): N[] {
  const present = new Set(nodes.map((n) => n.id));
  const ordered: N[] = [];
  const placedIds = new Set<string>();
  const placed = new Set<N>(); // by identity: a graph saved over REST may repeat an id
  const waiting = new Map<string, N[]>();
  const place = (node: N) => {
    // A node, then what waited for it, depth first in list order (a stack: nesting is unbounded).
    const stack = [node];
    while (stack.length > 0) {
      const current = stack.pop()!;
      ordered.push(current);
      placed.add(current);
      placedIds.add(current.id);
      const children = waiting.get(current.id) ?? [];
      waiting.delete(current.id);
      stack.push(...[...children].reverse());
    }
  };
  for (const node of nodes) {
    const parent = node.parentId;
    if (parent && present.has(parent) && !placedIds.has(parent)) {
      waiting.set(parent, [...(waiting.get(parent) ?? []), node]);
    } else {
      place(node);
    }
  }
  // Members of a loop of groups never get placed: they keep their order, at the end.
  for (const node of nodes) if (!placed.has(node)) ordered.push(node);
  return ordered;
}

export function applyOp<N extends GraphNode, E extends CanvasEdge>(graph: Graph<N, E>, op: GraphOp): Graph<N, E> {
  switch (op.op) {
    case "add_node":
      if (graph.nodes.some((n) => n.id === op.node.id)) return graph;
      return { ...graph, nodes: [...graph.nodes, op.node as N] };
    case "remove_nodes": {
      const removed = withDescendants(graph.nodes, op.node_ids);
      return {
        nodes: graph.nodes.filter((n) => !removed.has(n.id)),
        edges: graph.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)),
      };
    }
    case "update_node_data":
      return {
        ...graph,
        nodes: graph.nodes.map((n) => (n.id === op.node_id ? { ...n, data: mergeData(n.data, op.data) } : n)),
      };
    case "move_nodes": {
      const moves = new Map(op.moves.map((m) => [m.node_id, m]));
      const nodes = graph.nodes.map((n) => {
        const move = moves.get(n.id);
        return move ? moveNode(n, move) : n;
      });
      // As on the server: a node put into a group listed after it moves behind the group.
      const regrouped = op.moves.some((m) => m.parentId !== undefined);
      return { ...graph, nodes: regrouped ? parentsFirst(nodes) : nodes };
    }
    case "add_edge":
      if (graph.edges.some((e) => e.id === op.edge.id)) return graph;
      return { ...graph, edges: [...graph.edges, op.edge as E] };
    case "remove_edges": {
      const removed = new Set(op.edge_ids);
      return { ...graph, edges: graph.edges.filter((e) => !removed.has(e.id)) };
    }
  }
}

export function applyOps<N extends GraphNode, E extends CanvasEdge>(
  graph: Graph<N, E>,
  ops: readonly GraphOp[],
): Graph<N, E> {
  return ops.reduce((g, op) => applyOp(g, op), graph);
}

/** What the server stores of a node: the canvas-graph schema's fields, no view state. */
export function toCanvasNode(node: GraphNode): CanvasNode {
  const out: CanvasNode = {
    id: node.id,
    type: node.type,
    position: { x: node.position.x, y: node.position.y },
    data: node.data,
  };
  if (node.parentId) out.parentId = node.parentId;
  if (node.width !== undefined) out.width = node.width;
  if (node.height !== undefined) out.height = node.height;
  return out;
}

export function toCanvasEdge(edge: CanvasEdge): CanvasEdge {
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    sourceHandle: edge.sourceHandle ?? null,
    targetHandle: edge.targetHandle ?? null,
  };
}

/** Each node's connected input handles: one pass over the edges, so that a node finds its own without
 * scanning every edge (1,000 nodes each filtering 1,500 edges was 1.5 M steps per edge change). */
export function incomingHandles(edges: readonly CanvasEdge[]): Map<string, Set<string>> {
  const incoming = new Map<string, Set<string>>();
  for (const edge of edges) {
    if (!edge.targetHandle) continue;
    let handles = incoming.get(edge.target);
    if (!handles) incoming.set(edge.target, (handles = new Set()));
    handles.add(edge.targetHandle);
  }
  return incoming;
}

/** Equal JSON values (node data holds nested arrays and objects, e.g. a sequence's timeline). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every(
    (key) => key in b && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** The same node as far as the server is concerned (view state such as selection or measured size ignored). */
export function sameNode(a: GraphNode, b: GraphNode): boolean {
  return (
    a.id === b.id &&
    a.type === b.type &&
    (a.parentId ?? null) === (b.parentId ?? null) &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    sameValue(a.data, b.data)
  );
}

/** The socket event that carries `ops`: the event of the single op it is, or one atomic client:apply_ops. */
export function eventOf(ops: readonly GraphOp[]): [ClientEventName, Record<string, unknown>] {
  if (ops.length !== 1) return ["client:apply_ops", { ops }];
  const op = ops[0];
  switch (op.op) {
    case "add_node":
      return ["client:add_node", { node: op.node }];
    case "remove_nodes":
      return ["client:remove_nodes", { node_ids: op.node_ids }];
    case "update_node_data":
      return ["client:update_node_data", { node_id: op.node_id, data: op.data }];
    case "move_nodes":
      return ["client:update_node_position", { moves: op.moves }];
    case "add_edge":
      return ["client:add_edge", { edge: op.edge }];
    case "remove_edges":
      return ["client:remove_edges", { edge_ids: op.edge_ids }];
  }
}

/** The next free shot id: SHOT-010, SHOT-020, ... (ARCHITECTURE §8). */
export function nextShotId(nodes: readonly GraphNode[]): string {
  let highest = 0;
  for (const node of nodes) {
    const match = /^SHOT-(\d{3,4})$/.exec(String(node.data?.shot_id ?? ""));
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `SHOT-${String(Math.floor(highest / 10) * 10 + 10).padStart(3, "0")}`;
}

/** Version bookkeeping of a patch: apply it, ignore it (already seen), or resync (a gap). */
export function patchAction(current: number, incoming: number): "apply" | "ignore" | "resync" {
  if (incoming === current + 1) return "apply";
  if (incoming <= current) return "ignore";
  return "resync";
}

/** Where a new node of about `size` goes: at `wanted`, or the nearest free cell around it (left first:
 * inputs feed rightwards), so that it overlaps no node (each as large as the canvas measured it, or `size`). */
export function freeSpot(
  nodes: readonly (GraphNode & { measured?: { width?: number; height?: number } })[],
  wanted: Position,
  size = { width: 300, height: 300 },
): Position {
  const GAP = 40;
  const overlaps = (p: Position) =>
    nodes.some((n) => {
      const width = n.measured?.width ?? size.width;
      const height = n.measured?.height ?? size.height;
      return (
        p.x < n.position.x + width + GAP &&
        n.position.x < p.x + size.width + GAP &&
        p.y < n.position.y + height + GAP &&
        n.position.y < p.y + size.height + GAP
      );
    });
  const dx = size.width + 60;
  const dy = size.height + 40;
  for (let ring = 0; ring < 6; ring++) {
    const cells: [number, number][] = [];
    for (let row = -ring; row <= ring; row++)
      for (let col = -ring; col <= ring; col++)
        if (Math.max(Math.abs(row), Math.abs(col)) === ring) cells.push([col, row]);
    // Same row first, then below, then above; within a row, left before right.
    cells.sort(([c1, r1], [c2, r2]) => Math.abs(r1) - Math.abs(r2) || r2 - r1 || c1 - c2);
    for (const [col, row] of cells) {
      const spot = { x: wanted.x + col * dx, y: wanted.y + row * dy };
      if (!overlaps(spot)) return spot;
    }
  }
  return wanted;
}
