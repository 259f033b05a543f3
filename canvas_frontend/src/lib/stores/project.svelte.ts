// The single client-side source of truth of an open project: the live graph and its version, the
// node types, the nodes' generation state, the connection status and notifications. Edits are applied
// at once (optimistic) and sent in order over the socket, each with the version it was made against;
// a conflict or a version gap asks for a full sync, which replaces the state.
import type { Edge, Node } from "@xyflow/svelte";
import type {
  CanvasEdge,
  CanvasNode,
  GraphIssue,
  GraphOp,
  NodeMove,
  NodeType,
  PipelineManifest,
  Position,
  ValidationReport,
} from "../types/contracts";
import type { Ack, ConnectionStatus, RealtimeHandlers } from "../realtime";
import { fileUrl, type UploadedFile } from "../api";
import { connectionProblem, findPort, SOCKET_COLOURS } from "../graph/compat";
import { placeIssues } from "../graph/issues";
import type { TakeRef } from "../graph/takes";
import { aFile, acceptList, fileKindOf, mediaKind, type MediaKind } from "../media/kind";
import { DebouncedJob } from "./debounced";
import { defaultData } from "../graph/defaults";
import { copyNodes, parseClip, pasteOps, type Clip } from "../graph/clipboard";
import { GROUP_SIZE, groupView } from "../graph/groups";
import { History, inverseOps } from "../graph/history";
import { applyOps, eventOf, incomingHandles, nonEmpty, patchAction, sameNode, type Graph } from "../graph/ops";

export type FlowNode = Node<Record<string, unknown>, string>;
export type FlowEdge = Edge;

export interface Connection {
  emit(event: string, payload: object): Promise<Ack>;
  close(): void;
}
export type ConnectionFactory = (handlers: RealtimeHandlers) => Connection;

/** A take as the store keeps it (lib/graph/takes defines it). */
export type TakeInfo = TakeRef;
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

/** What the store asks the server besides the socket (lib/api in the app, fakes in tests). */
export interface ProjectServices {
  validate?: (projectId: string) => Promise<ValidationReport>;
  upload?: (projectId: string, file: File) => Promise<UploadedFile>;
  /** Every node's takes in one request: what the canvas asks while it opens (one request per node was
   * hundreds of requests on a large graph). */
  takesByNode?: (projectId: string) => Promise<Record<string, TakeInfo[]>>;
}

const DATA_DEBOUNCE_MS = 350;
const CLIPBOARD_KEY = "studio.clipboard";
/** Validation waits this long after the graph version last changed (edits come in bursts while typing). */
export const VALIDATE_DEBOUNCE_MS = 600;
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
  #version = $state(0);
  synced = $state(false);
  status = $state<ConnectionStatus>("connecting");
  statusDetail = $state("");
  notices = $state<Notice[]>([]);
  runtime = $state<Record<string, NodeRuntime>>({});
  types = $state.raw<Map<string, NodeType>>(new Map());
  pipelines = $state.raw<PipelineManifest[]>([]);
  canUndo = $state(false);
  canRedo = $state(false);
  /** The server's validation of the graph: issues on each node id, and those of the whole graph. */
  issues = $state.raw<Record<string, GraphIssue[]>>({});
  graphIssues = $state.raw<GraphIssue[]>([]);

  /** Each node's connected input handles (node id → handle names), kept with the edges. */
  readonly incoming = $derived(incomingHandles(this.edges));

  private history = new History();
  private takesAtOpen: Promise<Record<string, TakeInfo[]>> | null = null;
  private opened = false;
  private clip: Clip | null = null;
  private connection: Connection | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private pendingData = new Map<string, Record<string, unknown>>();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();
  private validation: DebouncedJob | null = null;

  constructor(
    readonly projectId: string,
    nodeTypes: NodeType[] = [],
    private loadTakesOf: (projectId: string, nodeId: string) => Promise<TakeInfo[]> = async () => [],
    private services: ProjectServices = {},
  ) {
    this.types = new Map(nodeTypes.map((t) => [t.id, t]));
    if (services.validate) this.validation = new DebouncedJob(() => this.validate(), VALIDATE_DEBOUNCE_MS);
  }

  /** The graph version the client holds; each change asks for a validation once changes settle. */
  get version(): number {
    return this.#version;
  }

  set version(value: number) {
    if (value === this.#version) return;
    this.#version = value;
    this.validation?.request();
  }

  /** The node's takes from the server (after the edits that created it have been acknowledged). */
  async loadTakes(nodeId: string): Promise<void> {
    await this.queue;
    try {
      const takes = await this.takesOf(nodeId);
      // Most nodes of a large canvas have no takes: no state to write for them (a write per node is felt).
      if (takes.length || this.runtime[nodeId]?.takes) this.patchRuntime(nodeId, { takes });
    } catch {
      /* a node the server does not know yet has no takes */
    }
  }

  /** While the canvas opens every node asks at once: they share one request for all takes; a node added
   * later asks for its own. */
  private takesOf(nodeId: string): Promise<TakeInfo[]> {
    const all = this.services.takesByNode;
    if (!all || this.opened) return this.loadTakesOf(this.projectId, nodeId);
    this.takesAtOpen ??= all(this.projectId).finally(() => (this.opened = true));
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
    this.validation?.stop();
  }

  /** A Svelte Flow edge, coloured by the socket type its source gives. */
  edgeOf(edge: CanvasEdge, typeOf?: ReadonlyMap<string, string | undefined>): FlowEdge {
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

  replace(graph: { nodes?: CanvasNode[]; edges?: CanvasEdge[] }, version: number): void {
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

  private applyLocal(ops: GraphOp[]): void {
    const next = applyOps(this.graph, ops);
    this.nodes = groupView(next.nodes as FlowNode[]);
    // Node edits leave the edges as they are: a new array would make Svelte Flow lay out every edge again.
    if (next.edges === this.edges) return;
    const shown = new Set<CanvasEdge>(this.edges);
    this.edges = next.edges.map((e) => (shown.has(e) ? (e as FlowEdge) : this.edgeOf(e)));
  }

  private get graph(): Graph<FlowNode, FlowEdge> {
    return { nodes: this.nodes, edges: this.edges };
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
      case "server:task_failed": {
        this.patchRuntime(p.node_id, { state: "failed", error: p.error });
        const node = this.nodes.find((n) => n.id === p.node_id);
        const what = this.nodeType(node?.type)?.executor === "render" ? "Render" : "Generation";
        this.notify("error", `${what} failed: ${p.error}`, 10000);
        return;
      }
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
  private send(event: string, payload: Record<string, unknown>, failure = `${event} failed.`): Promise<Ack | null> {
    const run = this.queue.then(async () => {
      if (!this.connection) return null;
      const ack = await this.connection.emit(event, { ...payload, version: this.version });
      if (ack.ok && typeof ack.version === "number") this.version = Math.max(this.version, ack.version);
      else if (!ack.ok && ack.error?.code !== "version_conflict" && ack.version === undefined) {
        this.notify("error", ack.error?.message ? `${failure} ${ack.error.message}` : failure);
        void this.requestSync();
      }
      return ack;
    });
    this.queue = run.catch(() => null);
    return run;
  }

  /** One user edit: applied at once, kept for undo, sent as one event (so applied atomically). */
  edit(ops: GraphOp[]): void {
    if (ops.length === 0) return;
    this.remember(ops);
    this.applyLocal(ops);
    const [event, payload] = eventOf(ops);
    void this.send(event, payload);
  }

  undo(): void {
    this.replay("backward");
  }

  redo(): void {
    this.replay("forward");
  }

  private replay(direction: "forward" | "backward"): void {
    for (const nodeId of [...this.pendingData.keys()]) void this.flushData(nodeId);
    const change = direction === "backward" ? this.history.undo() : this.history.redo();
    this.syncHistoryFlags();
    if (!change) return;
    const ops = change[direction];
    this.applyLocal(ops);
    const [event, payload] = eventOf(ops);
    const name = direction === "backward" ? "Undo" : "Redo";
    void this.send(event, payload, `${name} failed: the canvas changed meanwhile.`).then((ack) => {
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

  addNode(typeId: string, position: Position): string | null {
    const type = this.types.get(typeId);
    if (!type) return null;
    const id = newId(typeId.replace(/[^A-Za-z0-9]/g, "").toLowerCase());
    const node: CanvasNode = { id, type: typeId, position, data: defaultData(type, this.nodes) };
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
    for (const id of nodes) this.pendingData.delete(id);
    const ops: GraphOp[] = [];
    if (nonEmpty(edges)) ops.push({ op: "remove_edges", edge_ids: edges });
    if (nonEmpty(nodes)) ops.push({ op: "remove_nodes", node_ids: nodes });
    this.edit(ops);
  }

  // -- clipboard ----------------------------------------------------------------------------------

  /** Copies the nodes (with what they contain and the edges between them), for other tabs too. */
  copy(nodeIds: string[]): number {
    const clip = copyNodes(this.graph, nodeIds);
    if (!clip) return 0;
    this.clip = clip;
    try {
      localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(clip));
    } catch {
      /* storage full or disabled: the copy still works in this tab */
    }
    return clip.nodes.length;
  }

  cut(nodeIds: string[]): void {
    if (this.copy(nodeIds)) this.remove(nodeIds);
  }

  /** Pastes the last copy with its top-left corner at `at`; the pasted nodes become the selection. */
  paste(at: Position): string[] {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(CLIPBOARD_KEY);
    } catch {
      /* no storage: this tab's copy */
    }
    const clip = parseClip(stored) ?? this.clip;
    if (!clip) return [];
    const known = clip.nodes.filter((n) => n.type && this.types.has(n.type));
    if (known.length === 0) return [];
    if (known.length < clip.nodes.length) {
      this.notify("warning", "Some copied nodes are of types this studio does not have; they were left out.");
    }
    const { ops, ids } = pasteOps({ ...clip, nodes: known }, this.graph, at, newId);
    this.edit(ops);
    const pasted = new Set(ids);
    this.nodes = this.nodes.map((n) =>
      pasted.has(n.id) === Boolean(n.selected) ? n : { ...n, selected: pasted.has(n.id) },
    );
    return ids;
  }

  /** Why the connection is refused, or null (the server's rules: socket types, one link per input). */
  connectionProblem(connection: {
    source: string;
    target: string;
    sourceHandle?: string | null;
    targetHandle?: string | null;
  }): string | null {
    return connectionProblem(connection, this.nodes, this.edges, this.types);
  }

  connect_nodes(connection: {
    source: string;
    target: string;
    sourceHandle?: string | null;
    targetHandle?: string | null;
  }): boolean {
    const problem = this.connectionProblem(connection);
    if (problem) {
      this.notify("warning", problem);
      return false;
    }
    const edge: CanvasEdge = {
      id: newId("e"),
      source: connection.source,
      target: connection.target,
      sourceHandle: connection.sourceHandle ?? null,
      targetHandle: connection.targetHandle ?? null,
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
    this.applyLocal(ops);
    this.pendingData.set(nodeId, { ...(this.pendingData.get(nodeId) ?? {}), ...patch });
    clearTimeout(this.timers.get(nodeId));
    if (debounce)
      this.timers.set(
        nodeId,
        setTimeout(() => this.flushData(nodeId), DATA_DEBOUNCE_MS),
      );
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
    this.patchRuntime(nodeId, { latest: undefined });
    this.edit([{ op: "update_node_data", node_id: nodeId, data: { active_take: take } }]);
  }

  startGeneration(nodeId: string): Promise<void> {
    return this.startTask("client:start_generation", nodeId, "Generation could not start.");
  }

  /** A VSE Assembler's (or a Sequence's) final render; it reports like a generation of that node. */
  renderFinalSequence(nodeId: string): Promise<void> {
    return this.startTask("client:render_final_sequence", nodeId, "The render could not start.");
  }

  private async startTask(event: string, nodeId: string, refused: string): Promise<void> {
    await this.flushData(nodeId);
    await this.queue;
    if (!this.connection) return;
    this.patchRuntime(nodeId, { state: "queued", progress: 0, error: undefined });
    const ack = await this.connection.emit(event, { node_id: nodeId });
    // The node shows why; a refusal also comes as server:error, which is the one notice.
    if (!ack.ok) this.patchRuntime(nodeId, { state: "failed", error: ack.error?.message ?? refused });
    else if (ack.task_id) this.patchRuntime(nodeId, { taskId: ack.task_id });
  }

  nodeType(typeId: string | undefined): NodeType | undefined {
    return typeId ? this.types.get(typeId) : undefined;
  }

  // -- validation, files ----------------------------------------------------------------------------

  /** Asks the server to validate the saved graph now (normally the version change does, debounced). */
  async validate(): Promise<void> {
    if (!this.services.validate) return;
    const report = await this.services.validate(this.projectId);
    const placed = placeIssues(report, new Set(this.nodes.map((n) => n.id)));
    this.issues = placed.byNode;
    this.graphIssues = placed.general;
  }

  /** The authenticated files route of a project-relative path (a file input's value, a take). */
  fileUrl(path: string): string {
    return fileUrl(this.projectId, path);
  }

  /** Uploads `file` for a file input of a node and sets the input to it; the reason as a sentence if not. */
  async uploadInput(nodeId: string, input: string, file: File): Promise<string | null> {
    const node = this.nodes.find((n) => n.id === nodeId);
    const port = findPort(this.nodeType(node?.type)?.inputs ?? [], input);
    const wanted = fileKindOf(port?.type);
    if (!port || !wanted) return `This node has no file input '${input}'.`;
    if (!this.services.upload) return "Uploading is not available here.";
    const wrong = (kind: MediaKind) =>
      `'${file.name}' is ${aFile(kind)}, but ${port.label ?? port.name} takes ${aFile(wanted)}: ` +
      `choose a file ending in ${acceptList(wanted).replaceAll(",", " ")}.`;
    const kind = mediaKind(file.name);
    if (kind && kind !== wanted) return wrong(kind);
    let uploaded: UploadedFile;
    try {
      uploaded = await this.services.upload(this.projectId, file);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    if (uploaded.kind !== wanted) return wrong(uploaded.kind);
    this.updateNodeData(nodeId, { [input]: uploaded.path }, false);
    return null;
  }
}
