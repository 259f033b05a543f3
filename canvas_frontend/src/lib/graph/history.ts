// Undo and redo of the user's own edits. Each edit is kept as the ops that made it and the ops that
// take it back, computed against the graph it was applied to; undoing sends the backward ops as a new
// edit, so other clients see an ordinary change and the server stays the judge of what is valid.
import type { CanvasEdge, CanvasNode, GraphOp, NodeMove } from "../types/contracts";
import { applyOp, parentsFirst, toCanvasEdge, toCanvasNode, withDescendants, type Graph } from "./ops";

export interface Change {
  forward: GraphOp[];
  backward: GraphOp[];
  /** Edits with the same key made within COALESCE_MS of each other undo as one (typing a prompt). */
  key?: string;
  at: number;
}

const LIMIT = 200;
const COALESCE_MS = 1500;

/** The ops that undo `ops` when applied after them (to the graph `ops` were applied to). */
export function inverseOps(graph: Graph, ops: readonly GraphOp[]): GraphOp[] {
  const backward: GraphOp[][] = [];
  let current = graph;
  for (const op of ops) {
    backward.push(inverseOf(current, op));
    current = applyOp(current, op);
  }
  return backward.reverse().flat();
}

function inverseOf(graph: Graph, op: GraphOp): GraphOp[] {
  switch (op.op) {
    case "add_node":
      return graph.nodes.some((n) => n.id === op.node.id) ? [] : [{ op: "remove_nodes", node_ids: [op.node.id] }];
    case "remove_nodes": {
      const removed = withDescendants(graph.nodes, op.node_ids);
      const nodes = graph.nodes.filter((n) => removed.has(n.id));
      const edges = graph.edges.filter((e) => removed.has(e.source) || removed.has(e.target));
      return [
        // What the server stores, not the canvas's view state (selection, measured size, style).
        ...parentsFirst(nodes).map((node): GraphOp => ({ op: "add_node", node: toCanvasNode(node) })),
        ...edges.map((edge): GraphOp => ({ op: "add_edge", edge: toCanvasEdge(edge) })),
      ];
    }
    case "update_node_data": {
      const node = graph.nodes.find((n) => n.id === op.node_id);
      if (!node) return [];
      const before = Object.fromEntries(Object.keys(op.data).map((key) => [key, node.data[key] ?? null]));
      return [{ op: "update_node_data", node_id: op.node_id, data: before }];
    }
    case "move_nodes": {
      const byId = new Map(graph.nodes.map((n) => [n.id, n]));
      const moves: NodeMove[] = [];
      for (const move of op.moves) {
        const node = byId.get(move.node_id);
        if (!node) continue;
        const back: NodeMove = { node_id: node.id, position: { ...node.position } };
        if ("parentId" in move) back.parentId = node.parentId ?? null;
        if (move.width !== undefined && node.width !== undefined) back.width = node.width;
        if (move.height !== undefined && node.height !== undefined) back.height = node.height;
        moves.push(back);
      }
      return moves.length ? [{ op: "move_nodes", moves }] : [];
    }
    case "add_edge":
      return graph.edges.some((e) => e.id === op.edge.id) ? [] : [{ op: "remove_edges", edge_ids: [op.edge.id] }];
    case "remove_edges": {
      const removed = new Set(op.edge_ids);
      return graph.edges
        .filter((e) => removed.has(e.id))
        .map((edge): GraphOp => ({ op: "add_edge", edge: toCanvasEdge(edge) }));
    }
  }
}

/** Adjacent data updates of one node merged into one (applied in order, the later value wins). */
function compact(ops: GraphOp[]): GraphOp[] {
  const out: GraphOp[] = [];
  for (const op of ops) {
    const last = out.at(-1);
    if (op.op === "update_node_data" && last?.op === "update_node_data" && last.node_id === op.node_id) {
      out[out.length - 1] = { ...last, data: { ...last.data, ...op.data } };
    } else out.push(op);
  }
  return out;
}

export class History {
  private done: Change[] = [];
  private undone: Change[] = [];

  get canUndo(): boolean {
    return this.done.length > 0;
  }

  get canRedo(): boolean {
    return this.undone.length > 0;
  }

  /** Keeps an edit; a new edit forgets what was undone. */
  record(change: Change): void {
    if (change.forward.length === 0 || change.backward.length === 0) return;
    this.undone = [];
    const last = this.done.at(-1);
    if (change.key && last?.key === change.key && change.at - last.at < COALESCE_MS) {
      this.done[this.done.length - 1] = {
        forward: compact([...last.forward, ...change.forward]),
        backward: compact([...change.backward, ...last.backward]),
        key: change.key,
        at: change.at,
      };
      return;
    }
    this.done.push(change);
    if (this.done.length > LIMIT) this.done.shift();
  }

  /** The edit to take back; it moves to the redo stack. */
  undo(): Change | undefined {
    const change = this.done.pop();
    if (change) this.undone.push(change);
    return change;
  }

  redo(): Change | undefined {
    const change = this.undone.pop();
    if (change) this.done.push(change);
    return change;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
