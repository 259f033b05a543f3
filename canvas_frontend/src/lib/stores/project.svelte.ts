// The single client-side source of truth of an open project: the live graph and its version, the
// node types, the nodes' generation state, the connection status and notifications. Edits are applied
// at once (optimistic) and sent in order over the socket, each with the version it was made against;
// a conflict or a version gap asks for a full sync, which replaces the state.
import type { Edge, Node } from "@xyflow/svelte";
import type { NodeType, PipelineManifest } from "../types/contracts";
import type { Ack, ConnectionStatus, RealtimeHandlers } from "../realtime";
import { connectionProblem, findPort, SOCKET_COLOURS } from "../graph/compat";
import { defaultData } from "../graph/defaults";
import {
  applyOps,
  incomingHandles,
  patchAction,
  sameNode,
  toCanvasEdge,
  toCanvasNode,
  type GEdge,
  type GNode,
  type GraphOp,
  type Position,
} from "../graph/ops";

export type FlowNode = Node<Record<string, unknown>>;
export type FlowEdge = Edge;

export interface Connection {
  emit(event: string, payload: object): Promise<Ack>;
  close(): void;
}
export type ConnectionFactory = (handlers: RealtimeHandlers) => Connection;

export interface TakeInfo {
  path: string;
  take: number;
  url: string;
  thumbnail_url: string | null;
  pipeline?: string;
}
export interface NodeRuntime {
  state: "idle" | "queued" | "generating" | "done" | "failed";
  progress?: number;
  step?: string;
  taskId?: string;
  error?: string;
  /** The newest take made in this session (shown until another take is chosen). */
  latest?: { url: string; thumbnail_url: string | null };
  takes?: TakeInfo[];
}
export interface Notice {
  id: number;
  level: "info" | "warning" | "error";
  message: string;
}

const DATA_DEBOUNCE_MS = 350;
let noticeIds = 0;


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

export function newId(prefix: string): string {
  const random =
    typeof crypto !== "undefined" && "randomUUID" in crypto
      ? crypto.randomUUID().slice(0, 8)
      : Math.random().toString(36).slice(2, 10);
  return `${prefix}-${random}`;
}

export class ProjectStore {
  nodes = $state.raw<FlowNode[]>([]);
  edges = $state.raw<FlowEdge[]>([]);
  version = $state(0);
  synced = $state(false);
  status = $state<ConnectionStatus>("connecting");
  statusDetail = $state("");
  notices = $state<Notice[]>([]);
  runtime = $state<Record<string, NodeRuntime>>({});
  types = $state.raw<Map<string, NodeType>>(new Map());
  pipelines = $state.raw<PipelineManifest[]>([]);
  /** Each node's connected input handles (node id → handle names), kept with the edges. */
  readonly incoming = $derived(incomingHandles(this.edges as GEdge[]));

  private connection: Connection | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingData = new Map<string, Record<string, unknown>>();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private takesAtOpen: Promise<Record<string, TakeInfo[]>> | null = null;
  private opened = false;

  constructor(
    readonly projectId: string,
    nodeTypes: NodeType[] = [],
    private loadTakesOf: (projectId: string, nodeId: string) => Promise<TakeInfo[]> = async () => [],
    private loadAllTakesOf?: (projectId: string) => Promise<Record<string, TakeInfo[]>>,
  ) {
    this.types = new Map(nodeTypes.map((t) => [t.id, t]));
  }

  /** The node's takes from the server (after the edits that created it have been acknowledged). */
  async loadTakes(nodeId: string): Promise<void> {
    await this.queue;
    try {
      this.patchRuntime(nodeId, { takes: await this.takesOf(nodeId) });
    } catch {
      /* a node the server does not know yet has no takes */
    }
  }

  /** While the canvas opens every shot asks at once: they share one request for all takes (one per
   * shot was 650 requests, seconds of server time); a node added later asks for its own. */
  private takesOf(nodeId: string): Promise<TakeInfo[]> {
    if (!this.loadAllTakesOf || this.opened) return this.loadTakesOf(this.projectId, nodeId);
    this.takesAtOpen ??= this.loadAllTakesOf(this.projectId).finally(() => (this.opened = true));
    return this.takesAtOpen.then((byNode) => byNode[nodeId] ?? []);
  }

  setNodeTypes(nodeTypes: NodeType[]): void {
    this.types = new Map(nodeTypes.map((t) => [t.id, t]));
  }

  connect(factory: ConnectionFactory): void {
    this.connection = factory({
      status: (status, detail) => {
        this.status = status;
        this.statusDetail = detail ?? "";
      },
      connected: () => void this.requestSync(),
      event: (name, payload) => this.receive(name, payload),
    });
  }

  disconnect(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.connection?.close();
    this.connection = null;
  }

  /** A Svelte Flow edge, coloured by the socket type its source gives; `typeOf` (node id → type id)
   * spares a search of the nodes per edge when many edges are made at once. */
  edgeOf(edge: GEdge, typeOf?: ReadonlyMap<string, string | undefined>): FlowEdge {
    const sourceType = typeOf ? typeOf.get(edge.source) : this.nodes.find((n) => n.id === edge.source)?.type;
    const port = findPort(this.nodeType(sourceType)?.outputs ?? [], edge.sourceHandle);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? undefined,
      targetHandle: edge.targetHandle ?? undefined,
      style: port ? `stroke: ${SOCKET_COLOURS[port.type]}; stroke-width: 2px;` : undefined,
    };
  }

  // -- notifications ------------------------------------------------------------------------------

  notify(level: Notice["level"], message: string, ttlMs = 6000): void {
    const notice = { id: ++noticeIds, level, message };
    this.notices = [...this.notices.slice(-4), notice];
    if (ttlMs > 0) setTimeout(() => this.dismiss(notice.id), ttlMs);
  }

  dismiss(id: number): void {
    this.notices = this.notices.filter((n) => n.id !== id);
  }

  // -- state replacement and patches --------------------------------------------------------------

  replace(graph: { nodes?: GNode[]; edges?: GEdge[] }, version: number): void {
    // A full sync mostly repeats what is shown: unchanged nodes and edges keep their objects, so that
    // Svelte Flow and the node components skip them instead of redrawing the whole canvas.
    const shownNodes = new Map(this.nodes.map((n) => [n.id, n]));
    this.nodes = (graph.nodes ?? []).map((n) => {
      const shown = shownNodes.get(n.id);
      return shown && sameNode(shown as GNode, n) ? shown : { ...(n as FlowNode), selected: shown?.selected ?? false };
    });
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

  private applyLocal(ops: GraphOp[]): void {
    const next = applyOps({ nodes: this.nodes as GNode[], edges: this.edges as GEdge[] }, ops);
    this.nodes = next.nodes as FlowNode[];
    // Node edits leave the edges as they are: a new array would make Svelte Flow lay out every edge again.
    if (next.edges === (this.edges as GEdge[])) return;
    const shown = new Set<GEdge>(this.edges as GEdge[]);
    this.edges = next.edges.map((e) => (shown.has(e) ? (e as FlowEdge) : this.edgeOf(e)));
  }

  async requestSync(): Promise<void> {
    this.queue = Promise.resolve(); // edits still queued are superseded by the server's state
    this.pendingData.clear();
    await this.connection?.emit("client:sync_request", {});
  }

  receive(name: string, payload: unknown): void {
    const p = payload as Record<string, any>;
    switch (name) {
      case "server:full_sync":
        this.replace(p.graph, p.version);
        return;
      case "server:graph_patch": {
        const action = patchAction(this.version, p.version);
        if (action === "apply") {
          this.applyLocal(p.ops as GraphOp[]);
          this.version = p.version;
        } else if (action === "resync") void this.requestSync();
        return;
      }
      case "server:conflict":
        this.notify("warning", "Someone else changed the canvas first; it was reloaded.");
        void this.requestSync();
        return;
      case "server:error":
        this.notify("error", p.message ?? "The server refused the change.");
        return;
      case "server:notification":
        this.notify(p.level ?? "info", p.message);
        return;
      case "server:node_state_updated":
        this.patchRuntime(p.node_id, {
          state: p.state,
          taskId: p.task_id,
          ...(p.state === "queued" ? { progress: 0, step: undefined, error: undefined } : {}),
        });
        return;
      case "server:task_progress":
        this.patchRuntime(p.node_id, { progress: p.progress, step: p.step, taskId: p.task_id });
        return;
      case "server:task_success": {
        const take = p.result?.take as TakeInfo | undefined;
        this.patchRuntime(p.node_id, {
          state: "done",
          progress: 100,
          latest: { url: p.result.output_url, thumbnail_url: take?.thumbnail_url ?? p.result.output_url },
        });
        return;
      }
      case "server:task_failed":
        this.patchRuntime(p.node_id, { state: "failed", error: p.error });
        this.notify("error", `Generation failed: ${p.error}`, 10000);
        return;
      case "server:takes_updated":
        this.patchRuntime(p.node_id, { takes: p.takes as TakeInfo[] });
        return;
    }
  }

  patchRuntime(nodeId: string, patch: Partial<NodeRuntime>): void {
    const current = this.runtime[nodeId] ?? { state: "idle" };
    this.runtime[nodeId] = { ...current, ...patch };
  }

  // -- edits --------------------------------------------------------------------------------------

  /** Sends one edit after those before it, with the version current when it leaves. */
  private send(event: string, payload: Record<string, unknown>): Promise<Ack | null> {
    const run = this.queue.then(async () => {
      if (!this.connection) return null;
      const ack = await this.connection.emit(event, { ...payload, version: this.version });
      if (ack.ok && typeof ack.version === "number") this.version = Math.max(this.version, ack.version);
      else if (!ack.ok && ack.error?.code !== "version_conflict" && ack.version === undefined) {
        this.notify("error", ack.error?.message ?? `${event} failed.`);
        void this.requestSync();
      }
      return ack;
    });
    this.queue = run.catch(() => null);
    return run;
  }

  addNode(typeId: string, position: Position): string | null {
    const type = this.types.get(typeId);
    if (!type) return null;
    const node: GNode = { id: newId(typeId.replace(/[^A-Za-z0-9]/g, "").toLowerCase()), type: typeId, position, data: defaultData(type, this.nodes as GNode[]) };
    this.applyLocal([{ op: "add_node", node }]);
    void this.send("client:add_node", { node: toCanvasNode(node) });
    return node.id;
  }

  removeNodes(ids: string[]): void {
    const present = ids.filter((id) => this.nodes.some((n) => n.id === id));
    if (present.length === 0) return;
    for (const id of present) this.pendingData.delete(id);
    this.applyLocal([{ op: "remove_nodes", node_ids: present }]);
    void this.send("client:remove_nodes", { node_ids: present });
  }

  removeEdges(ids: string[]): void {
    const present = ids.filter((id) => this.edges.some((e) => e.id === id));
    if (present.length === 0) return;
    this.applyLocal([{ op: "remove_edges", edge_ids: present }]);
    void this.send("client:remove_edges", { edge_ids: present });
  }

  /** Why the connection is refused, or null (the server's rules: socket types, one link per input). */
  connectionProblem(connection: { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }): string | null {
    return connectionProblem(connection, this.nodes as GNode[], this.edges as GEdge[], this.types);
  }

  connect_nodes(connection: { source: string; target: string; sourceHandle?: string | null; targetHandle?: string | null }): boolean {
    const problem = this.connectionProblem(connection);
    if (problem) {
      this.notify("warning", problem);
      return false;
    }
    const edge: GEdge = {
      id: newId("e"),
      source: connection.source,
      target: connection.target,
      sourceHandle: connection.sourceHandle ?? null,
      targetHandle: connection.targetHandle ?? null,
    };
    this.applyLocal([{ op: "add_edge", edge }]);
    void this.send("client:add_edge", { edge: toCanvasEdge(edge) });
    return true;
  }

  moveNodes(moves: { node_id: string; position: Position }[]): void {
    if (moves.length === 0) return;
    this.applyLocal([{ op: "move_nodes", moves }]);
    void this.send("client:update_node_position", { moves });
  }

  /** Applies at once; the server hears of it after a short pause in typing (one merged patch). */
  updateNodeData(nodeId: string, patch: Record<string, unknown>, debounce = true): void {
    this.applyLocal([{ op: "update_node_data", node_id: nodeId, data: patch }]);
    this.pendingData.set(nodeId, { ...(this.pendingData.get(nodeId) ?? {}), ...patch });
    clearTimeout(this.timers.get(nodeId));
    if (debounce) this.timers.set(nodeId, setTimeout(() => this.flushData(nodeId), DATA_DEBOUNCE_MS));
    else this.flushData(nodeId);
  }

  flushData(nodeId: string): Promise<Ack | null> {
    clearTimeout(this.timers.get(nodeId));
    this.timers.delete(nodeId);
    const data = this.pendingData.get(nodeId);
    if (!data) return this.queue as Promise<null>;
    this.pendingData.delete(nodeId);
    return this.send("client:update_node_data", { node_id: nodeId, data });
  }

  selectTake(nodeId: string, take: string): void {
    this.applyLocal([{ op: "update_node_data", node_id: nodeId, data: { active_take: take } }]);
    this.patchRuntime(nodeId, { latest: undefined });
    void this.send("client:select_take", { node_id: nodeId, take });
  }

  async startGeneration(nodeId: string): Promise<void> {
    await this.flushData(nodeId);
    await this.queue;
    if (!this.connection) return;
    this.patchRuntime(nodeId, { state: "queued", progress: 0, error: undefined });
    const ack = await this.connection.emit("client:start_generation", { node_id: nodeId });
    if (!ack.ok) {
      this.patchRuntime(nodeId, { state: "failed", error: ack.error?.message });
      this.notify("error", ack.error?.message ?? "Generation could not start.", 10000);
    } else if (ack.task_id) this.patchRuntime(nodeId, { taskId: ack.task_id });
  }

  setTakes(nodeId: string, takes: TakeInfo[]): void {
    this.patchRuntime(nodeId, { takes });
  }

  nodeType(typeId: string | undefined): NodeType | undefined {
    return typeId ? this.types.get(typeId) : undefined;
  }
}
