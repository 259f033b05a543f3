// Scene groups on the canvas: which group a dropped node lands in, and the move that puts it there
// (positions inside a group are relative to it, as in Svelte Flow).
import type { NodeMove, Position } from "../types/contracts";
import { parentsFirst, type GraphNode } from "./ops";

export const GROUP_TYPE = "SceneGroupNode";
/** A new Scene's size: room for two shots side by side, a shot's body being as tall with takes as without. */
export const GROUP_SIZE = { width: 720, height: 640 };

export interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A node at the end of a drag: where it is on the canvas and relative to its parent, and its size. */
export interface Dropped extends Box {
  parentId?: string;
  relative: Position;
  isGroup: boolean;
}

/** The innermost (last drawn) group whose box holds the point, or undefined. */
export function groupAt(groups: readonly Box[], point: Position): Box | undefined {
  return groups.findLast(
    (g) => point.x >= g.x && point.x <= g.x + g.width && point.y >= g.y && point.y <= g.y + g.height,
  );
}

const round = (p: Position): Position => ({ x: Math.round(p.x), y: Math.round(p.y) });

/**
 * The moves that end a drag: a node whose centre lands in a group joins it, one dragged out of its group
 * leaves it; groups themselves, and nodes dragged along with their own group, keep their parent.
 */
export function dropMoves(dropped: readonly Dropped[], groups: readonly Box[]): NodeMove[] {
  const draggedIds = new Set(dropped.map((d) => d.id));
  return dropped.map((node): NodeMove => {
    const keep = { node_id: node.id, position: round(node.relative) };
    if (node.isGroup || (node.parentId && draggedIds.has(node.parentId))) return keep;
    const centre = { x: node.x + node.width / 2, y: node.y + node.height / 2 };
    const target = groupAt(
      groups.filter((g) => !draggedIds.has(g.id)),
      centre,
    );
    if ((target?.id ?? null) === (node.parentId ?? null)) return keep;
    if (!target) return { node_id: node.id, position: round({ x: node.x, y: node.y }), parentId: null };
    return { node_id: node.id, position: round({ x: node.x - target.x, y: node.y - target.y }), parentId: target.id };
  });
}

/** A node as Svelte Flow draws it: hidden, and a class on its wrapper. */
type Drawn = GraphNode & { hidden?: boolean; class?: unknown };

/**
 * The nodes as Svelte Flow shows them: groups first (drawn under the nodes they hold, and a new, empty
 * group does not cover its neighbours), parents before children, the members of a collapsed group
 * hidden, and a collapsed group marked so that only its title bar takes pointer events. Unchanged nodes
 * keep their objects.
 */
export function groupView<N extends Drawn>(nodes: N[]): N[] {
  if (!nodes.some((n) => n.type === GROUP_TYPE || n.parentId || n.hidden)) return nodes;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const insideCollapsed = (node: N): boolean => {
    const seen = new Set<string>();
    for (let p = byId.get(node.parentId ?? ""); p && !seen.has(p.id); p = byId.get(p.parentId ?? "")) {
      if (p.data.collapsed === true) return true;
      seen.add(p.id);
    }
    return false;
  };
  const ordered = [...nodes.filter((n) => n.type === GROUP_TYPE), ...nodes.filter((n) => n.type !== GROUP_TYPE)];
  const shown = ordered.map((n) => {
    const hidden = insideCollapsed(n);
    const className = n.type === GROUP_TYPE && n.data.collapsed === true ? "collapsed" : undefined;
    return Boolean(n.hidden) === hidden && n.class === className ? n : { ...n, hidden, class: className };
  });
  return parentsFirst(shown);
}
