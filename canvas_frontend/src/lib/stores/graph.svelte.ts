// The live graph of an open project and the user's edits of it: the nodes and edges Svelte Flow shows and
// the version they are at; edits applied at once (optimistic) and sent in order, each with the version it
// was made against; undo and redo of the user's own edits; other clients' patches and full syncs; copy and
// paste.
import type { Edge, Node } from "@xyflow/svelte";
import type { Connection } from "../realtime";
import type { CanvasEdge, CanvasNode, GraphOp, NodeMove, Position, ServerGraphPatch } from "../types/contracts";
import { copyNodes, pasteOps } from "../graph/clipboard";
import { connectionProblem, findPort, SOCKET_COLOURS } from "../graph/compat";
import { defaultData } from "../graph/defaults";
import { GROUP_SIZE, groupView } from "../graph/groups";
import { History, inverseOps } from "../graph/history";
import { applyOps, eventOf, incomingHandles, nonEmpty, patchAction, sameNode, type Graph } from "../graph/ops";
import type { NodeCatalogue } from "./catalogue.svelte";
import { ClipboardStorage } from "./clipboard";
import type { Notices } from "./notices.svelte";
import { Outbox } from "./outbox";
import { TypingBuffer } from "./typing";

export type FlowNode = Node<Record<string, unknown>, string>;
export type FlowEdge = Edge;

/** A connection the user drew, before it is an edge. */
export interface Link {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

/** What the graph needs from the project it belongs to. */
export interface GraphDeps {
  catalogue: NodeCatalogue;
  notices: Notices;
  connection(): Connection | null;
  /** The client's state is in doubt: ask the server for all of it. */
  resync(): void;
  /** The version changed: the graph is a new one (to validate). */
  versionChanged(): void;
}

export function newId(prefix: string): string {
  const random =
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID().slice(0, 8)
      : Math.random().toString(36).slice(2, 10);
  return `${prefix}-${random}`;
}

/** The same drawn edge: ends, handles and colour (selection is view state and stays as it is). */
function sameFlowEdge(a: FlowEdge, b: FlowEdge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.sourceHandle === b.sourceHandle &&
    a.targetHandle === b.targetHandle &&
    a.style === b.style
  );
}

export class GraphStore {
  nodes = $state.raw<FlowNode[]>([]);
  edges = $state.raw<FlowEdge[]>([]);
  synced = $state(false);
  canUndo = $state(false);
  canRedo = $state(false);
  #version = $state(0);
  // An edit of this client was applied since the last full sync: the graph may hold what the server's state at
  // `version` does not (an edit on its way, or one dropped by the sync).
  #editedSinceSync = false;

  /** Each node's connected input handles (node id → handle names), kept with the edges. */
  readonly incoming = $derived(incomingHandles(this.edges));

  private readonly history = new History();
  private readonly clipboard = new ClipboardStorage();
  private readonly outbox: Outbox;
  private readonly typing: TypingBuffer;

  constructor(private readonly deps: GraphDeps) {
    this.outbox = new Outbox({
      connection: () => deps.connection(),
      version: () => this.version,
      acknowledged: (version) => (this.version = Math.max(this.version, version)),
      refused: (message) => {
        deps.notices.push("error", message);
        deps.resync();
      },
    });
    this.typing = new TypingBuffer((nodeId, data) =>
      this.outbox.send("client:update_node_data", { node_id: nodeId, data }),
    );
  }

  /** The graph version the client holds. */
  get version(): number {
    return this.#version;
  }

  set version(value: number) {
    if (value === this.#version) return;
    this.#version = value;
    this.deps.versionChanged();
  }

  private get graph(): Graph<FlowNode, FlowEdge> {
    return { nodes: this.nodes, edges: this.edges };
  }

  // -- the server's state -------------------------------------------------------------------------

  /** The whole graph at `version` (a full sync). */
  replace(graph: { nodes?: CanvasNode[]; edges?: CanvasEdge[] }, version: number): void {
    // The version shown, with no edit of this client since: the graph is this one already. (The socket's sync
    // right after the canvas opened from the REST read: comparing 1,000 nodes and handing Svelte Flow new
    // arrays took a tenth of a second, in the middle of the first render.)
    if (this.synced && version === this.version && !this.#editedSinceSync) return;
    this.#editedSinceSync = false;
    // A full sync mostly repeats what is shown: unchanged nodes and edges keep their objects, so that
    // Svelte Flow and the node components skip them instead of redrawing the whole canvas.
    const shownNodes = new Map(this.nodes.map((n) => [n.id, n]));
    this.nodes = groupView(
      (graph.nodes ?? []).map((n) => {
        const shown = shownNodes.get(n.id);
        return shown && sameNode(shown, n) ? shown : { ...(n as FlowNode), selected: shown?.selected ?? false };
      }),
    );
    const typeOf = new Map(this.nodes.map((n) => [n.id, n.type]));
    const shownEdges = new Map(this.edges.map((e) => [e.id, e]));
    this.edges = (graph.edges ?? []).map((e) => {
      const edge = this.edgeOf(e, typeOf);
      const shown = shownEdges.get(e.id);
      return shown && sameFlowEdge(shown, edge) ? shown : edge;
    });
    this.version = version;
    this.synced = true;
  }

  /** Another client's edit: applied when it is the next version; a gap means something was missed. */
  receivePatch(patch: ServerGraphPatch): void {
    this.receivePatches([patch]);
  }

  /** Another client's consecutive edits (server:graph_patches), in version order: those past this graph's version
   * applied as one change (one new node list for the canvas, not one per edit); a gap means something was missed. */
  receivePatches(patches: readonly ServerGraphPatch[]): void {
    const ops: GraphOp[] = [];
    let version = this.version;
    for (const patch of patches) {
      const action = patchAction(version, patch.version);
      if (action === "resync") return this.deps.resync();
      if (action === "apply") {
        ops.push(...patch.ops);
        version = patch.version;
      }
    }
    if (version === this.version) return;
    this.applyLocal(ops);
    this.version = version;
  }

  /** Edits not yet sent are dropped, and those sent not waited for: the server's state will replace them. */
  discardPending(): void {
    this.outbox.reset();
    this.typing.clear();
  }

  /** Resolves once the edits made so far are acknowledged (typing still pending included, when `nodeId`'s). */
  async settled(nodeId?: string): Promise<void> {
    if (nodeId) await this.typing.flush(nodeId);
    await this.outbox.settled();
  }

  /** A Svelte Flow edge, coloured by the socket type its source gives. */
  edgeOf(edge: CanvasEdge, typeOf?: ReadonlyMap<string, string | undefined>): FlowEdge {
    const sourceType = typeOf ? typeOf.get(edge.source) : this.nodes.find((n) => n.id === edge.source)?.type;
    const port = findPort(this.deps.catalogue.nodeType(sourceType)?.outputs ?? [], edge.sourceHandle);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? undefined,
      targetHandle: edge.targetHandle ?? undefined,
      style: port ? `stroke: ${SOCKET_COLOURS[port.type]}; stroke-width: 2px;` : undefined,
    };
  }

  private applyLocal(ops: GraphOp[]): void {
    const next = applyOps(this.graph, ops);
    this.nodes = groupView(next.nodes);
    // Node edits leave the edges as they are: a new array would make Svelte Flow lay out every edge again.
    if (next.edges === this.edges) return;
    const shown = new Set<CanvasEdge>(this.edges);
    this.edges = next.edges.map((e) => (shown.has(e) ? e : this.edgeOf(e)));
  }

  /** This client's edit, applied before the server has it. */
  private applyOwn(ops: GraphOp[]): void {
    this.#editedSinceSync = true;
    this.applyLocal(ops);
  }

  // -- edits, undo and redo -----------------------------------------------------------------------

  /** One user edit: applied at once, kept for undo, sent as one event (so applied atomically). */
  edit(ops: GraphOp[]): void {
    if (ops.length === 0) return;
    this.remember(ops);
    this.applyOwn(ops);
    void this.outbox.send(...eventOf(ops));
  }

  undo(): void {
    this.replay("backward");
  }

  redo(): void {
    this.replay("forward");
  }

  private replay(direction: "forward" | "backward"): void {
    this.typing.flushAll();
    const change = direction === "backward" ? this.history.undo() : this.history.redo();
    this.syncHistoryFlags();
    if (!change) return;
    const ops = change[direction];
    this.applyOwn(ops);
    const [event, payload] = eventOf(ops);
    const name = direction === "backward" ? "Undo" : "Redo";
    void this.outbox.send(event, payload, `${name} failed: the canvas changed meanwhile.`).then((ack) => {
      if (ack && !ack.ok) {
        this.history.clear(); // what the history remembers no longer matches the graph
        this.syncHistoryFlags();
      }
    });
  }

  /** Keeps `ops` for undo, with what takes them back on the graph as it is before them. */
  private remember(ops: GraphOp[], key?: string): void {
    this.history.record({ forward: ops, backward: inverseOps(this.graph, ops), key, at: Date.now() });
    this.syncHistoryFlags();
  }

  private syncHistoryFlags(): void {
    this.canUndo = this.history.canUndo;
    this.canRedo = this.history.canRedo;
  }

  /** A new node of `typeId` at `position`, its defaults overridden by `data` (e.g. the asset a drop names). */
  addNode(typeId: string, position: Position, data: Record<string, unknown> = {}): string | null {
    const type = this.deps.catalogue.nodeType(typeId);
    if (!type) return null;
    const id = newId(typeId.replace(/[^A-Za-z0-9]/g, "").toLowerCase());
    const node: CanvasNode = { id, type: typeId, position, data: { ...defaultData(type, this.nodes), ...data } };
    if (type.container) Object.assign(node, GROUP_SIZE);
    this.edit([{ op: "add_node", node }]);
    return node.id;
  }

  /** Deletes nodes (with what they contain) and edges, as one edit. */
  remove(nodeIds: string[], edgeIds: string[] = []): void {
    const nodes = nodeIds.filter((id) => this.nodes.some((n) => n.id === id));
    const doomed = new Set(nodes);
    const edges = edgeIds.filter((id) =>
      this.edges.some((e) => e.id === id && !doomed.has(e.source) && !doomed.has(e.target)),
    );
    for (const id of nodes) this.typing.drop(id);
    const ops: GraphOp[] = [];
    if (nonEmpty(edges)) ops.push({ op: "remove_edges", edge_ids: edges });
    if (nonEmpty(nodes)) ops.push({ op: "remove_nodes", node_ids: nodes });
    this.edit(ops);
  }

  /** Why the connection is refused, or null (the server's rules: socket types, one link per input). */
  connectionProblem(link: Link): string | null {
    return connectionProblem(link, this.nodes, this.edges, this.deps.catalogue.types);
  }

  connect_nodes(link: Link): boolean {
    const problem = this.connectionProblem(link);
    if (problem) {
      this.deps.notices.push("warning", problem);
      return false;
    }
    const edge: CanvasEdge = {
      id: newId("e"),
      source: link.source,
      target: link.target,
      sourceHandle: link.sourceHandle ?? null,
      targetHandle: link.targetHandle ?? null,
    };
    this.edit([{ op: "add_edge", edge }]);
    return true;
  }

  /** Moves nodes; a move may also put a node into a group (parentId), out of it (null), or resize it. */
  moveNodes(moves: NodeMove[]): void {
    if (moves.length) this.edit([{ op: "move_nodes", moves }]);
  }

  /** Applies at once; the server hears of it after a short pause in typing (one merged patch). */
  updateNodeData(nodeId: string, patch: Record<string, unknown>, debounce = true): void {
    const ops: GraphOp[] = [{ op: "update_node_data", node_id: nodeId, data: patch }];
    this.remember(ops, `data:${nodeId}`);
    this.applyOwn(ops);
    this.typing.add(nodeId, patch, debounce);
  }

  // -- clipboard ----------------------------------------------------------------------------------

  /** Copies the nodes (with what they contain and the edges between them), for other tabs too. */
  copy(nodeIds: string[]): number {
    const clip = copyNodes(this.graph, nodeIds);
    if (!clip) return 0;
    this.clipboard.put(clip);
    return clip.nodes.length;
  }

  cut(nodeIds: string[]): void {
    if (this.copy(nodeIds)) this.remove(nodeIds);
  }

  /** Pastes the last copy with its top-left corner at `at`; the pasted nodes become the selection. */
  paste(at: Position): string[] {
    const clip = this.clipboard.get();
    if (!clip) return [];
    const known = clip.nodes.filter((n) => this.deps.catalogue.types.has(n.type));
    if (known.length === 0) return [];
    if (known.length < clip.nodes.length) {
      this.deps.notices.push(
        "warning",
        "Some copied nodes are of types this studio does not have; they were left out.",
      );
    }
    const { ops, ids } = pasteOps({ ...clip, nodes: known }, this.graph, at, newId);
    this.edit(ops);
    const pasted = new Set(ids);
    this.nodes = this.nodes.map((n) =>
      pasted.has(n.id) === Boolean(n.selected) ? n : { ...n, selected: pasted.has(n.id) },
    );
    return ids;
  }
}
