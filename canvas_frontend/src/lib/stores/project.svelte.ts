// An open project on the client: its connection, and the stores it is made of, each with one job —
// the catalogue of node types, the live graph with the user's edits (graph), what each node is running and
// has made (runtime), the server's validation, and notices. Server events reach them through one handler
// per event.
import { fileUrl, type UploadedFile } from "../api";
import { findPort } from "../graph/compat";
import type { TakeRef } from "../graph/takes";
import {
  routeServerEvent,
  type ConnectionFactory,
  type Connection,
  type ConnectionStatus,
  type ServerEventHandlers,
} from "../realtime";
import type { NodeType, RenderSummary, ValidationReport } from "../types/contracts";
import { NodeCatalogue } from "./catalogue.svelte";
import { GraphStore } from "./graph.svelte";
import { Notices } from "./notices.svelte";
import { NodeRuntimes } from "./runtime.svelte";
import { TaskBoard, type TaskServices } from "./tasks.svelte";
import { uploadForInput } from "./uploads";
import { GraphValidation } from "./validation.svelte";

export type { FlowEdge, FlowNode } from "./graph.svelte";
export type { NodeRuntime } from "./runtime.svelte";
export type { Notice } from "./notices.svelte";
export { VALIDATE_DEBOUNCE_MS } from "./validation.svelte";

/** What the project asks the server besides the socket (lib/api in the app, fakes in tests). */
export interface ProjectServices {
  takes?: (projectId: string, nodeId: string) => Promise<TakeRef[]>;
  /** Every node's takes in one request (what the canvas asks while it opens). */
  takesByNode?: (projectId: string) => Promise<Record<string, TakeRef[]>>;
  validate?: (projectId: string) => Promise<ValidationReport>;
  /** A render node's final videos, oldest first. */
  renders?: (projectId: string, nodeId: string) => Promise<RenderSummary[]>;
  upload?: (projectId: string, file: File) => Promise<UploadedFile>;
  /** The tasks panel's requests, for this project. */
  tasks?: TaskServices;
}

/** Notifications shown on their node only (server.jobs.control): a paused or resumed queue. */
const NODE_STATUS_CODES = new Set(["queue_paused", "queue_resumed"]);

const NO_TASKS: TaskServices = {
  list: async () => [],
  queue: async () => Promise.reject(new Error("This canvas has no task service.")),
  act: async () => undefined,
  pause: async () => Promise.reject(new Error("This canvas has no task service.")),
  resume: async () => Promise.reject(new Error("This canvas has no task service.")),
};

export class ProjectStore {
  status = $state<ConnectionStatus>("connecting");
  statusDetail = $state("");
  readonly notices = new Notices();
  readonly catalogue: NodeCatalogue;
  readonly graph: GraphStore;
  readonly runtime: NodeRuntimes;
  readonly validation: GraphValidation;
  readonly tasks: TaskBoard;
  private connection: Connection | null = null;

  /** What each server event does; a new event in the schema does not compile until it is here. */
  private readonly handlers: ServerEventHandlers = {
    "server:full_sync": ({ graph, version }) => this.graph.replace(graph, version),
    "server:graph_patch": (patch) => this.graph.receivePatch(patch),
    "server:graph_patches": ({ patches }) => this.graph.receivePatches(patches),
    "server:conflict": () => {
      this.notices.push("warning", "Someone else changed the canvas first; it was reloaded.");
      void this.requestSync();
    },
    "server:error": ({ message }) => this.notices.push("error", message || "The server refused the change."),
    "server:notification": (note) => {
      // A pause or resume says so on each waiting node; one notice per node would bury the canvas.
      if (!NODE_STATUS_CODES.has(note.code)) this.notices.push(note.level, note.message);
      this.runtime.noticed(note);
    },
    "server:node_state_updated": (update) => {
      this.runtime.stateUpdated(update);
      this.tasks.changed();
    },
    "server:task_progress": (progress) => {
      this.runtime.progressed(progress);
      this.tasks.progressed(progress);
    },
    "server:task_success": (success) => {
      this.runtime.succeeded(success);
      this.tasks.changed();
    },
    "server:task_failed": (failure) => {
      this.runtime.failed(failure);
      this.tasks.changed();
      const node = this.graph.nodes.find((n) => n.id === failure.node_id);
      const executor = this.catalogue.nodeType(node?.type)?.executor;
      // No node: the studio's own task (a model pull, heard by administrators).
      const what = !failure.node_id ? "Model pull" : executor === "render" ? "Render" : "Generation";
      this.notices.push("error", `${what} failed: ${failure.error}`, 10000);
    },
    "server:takes_updated": (update) => this.runtime.takesUpdated(update),
    "server:renders_updated": (update) => this.runtime.rendersUpdated(update),
  };

  constructor(
    readonly projectId: string,
    nodeTypes: NodeType[] = [],
    private readonly services: ProjectServices = {},
  ) {
    this.catalogue = new NodeCatalogue(nodeTypes);
    this.graph = new GraphStore({
      catalogue: this.catalogue,
      notices: this.notices,
      connection: () => this.connection,
      resync: () => void this.requestSync(),
      versionChanged: () => this.validation.request(),
    });
    const { takes, takesByNode, validate } = services;
    this.runtime = new NodeRuntimes(
      {
        ofNode: async (nodeId) => (takes ? takes(projectId, nodeId) : []),
        byNode: takesByNode && (() => takesByNode(projectId)),
      },
      () => this.graph.settled(),
      () => this.graph.nodes.map((n) => n.id),
    );
    this.tasks = new TaskBoard(services.tasks ?? NO_TASKS);
    this.validation = new GraphValidation(
      validate && (() => validate(projectId)),
      () => new Set(this.graph.nodes.map((n) => n.id)),
    );
  }

  // -- the connection -----------------------------------------------------------------------------

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
    this.graph.discardPending();
    this.connection?.close();
    this.connection = null;
    this.validation.stop();
    this.tasks.stop();
  }

  /** Asks for the server's whole state, which supersedes the edits still on their way. */
  async requestSync(): Promise<void> {
    this.graph.discardPending();
    await this.connection?.emit("client:sync_request", {});
  }

  receive(name: string, payload: unknown): void {
    routeServerEvent(this.handlers, name, payload);
  }

  // -- takes and runs -----------------------------------------------------------------------------

  selectTake(nodeId: string, take: string): void {
    this.runtime.patch(nodeId, { latest: undefined });
    this.graph.edit([{ op: "update_node_data", node_id: nodeId, data: { active_take: take } }]);
  }

  startGeneration(nodeId: string): Promise<void> {
    return this.startTask("client:start_generation", nodeId, "Generation could not start.");
  }

  /** The node's renders so far (once, as it is drawn): a reloaded canvas shows the last one. A render made while
   * the canvas is open arrives with server:renders_updated. */
  async loadRenders(nodeId: string): Promise<void> {
    if (!this.services.renders) return;
    try {
      this.runtime.patch(nodeId, { renders: await this.services.renders(this.projectId, nodeId) });
    } catch {
      /* a node the server does not know yet has no renders */
    }
  }

  /** A VSE Assembler's (or a Sequence's) final render; it reports like a generation of that node. */
  renderFinalSequence(nodeId: string): Promise<void> {
    return this.startTask("client:render_final_sequence", nodeId, "The render could not start.");
  }

  private async startTask(
    event: "client:start_generation" | "client:render_final_sequence",
    nodeId: string,
    refused: string,
  ): Promise<void> {
    await this.graph.settled(nodeId); // the server runs the node as the user last left it
    if (!this.connection) return;
    this.runtime.patch(nodeId, { state: "queued", progress: 0, error: undefined });
    const ack = await this.connection.emit(event, { node_id: nodeId });
    // The node shows why; a refusal also comes as server:error, which is the one notice.
    if (!ack.ok) this.runtime.patch(nodeId, { state: "failed", error: ack.error?.message ?? refused });
    else if (ack.task_id) this.runtime.patch(nodeId, { taskId: ack.task_id });
  }

  // -- files --------------------------------------------------------------------------------------

  /** The authenticated files route of a project-relative path (a file input's value, a take). */
  fileUrl(path: string): string {
    return fileUrl(this.projectId, path);
  }

  /** Uploads `file` for a file input of a node and sets the input to it; the reason as a sentence if not. */
  async uploadInput(nodeId: string, input: string, file: File): Promise<string | null> {
    const node = this.graph.nodes.find((n) => n.id === nodeId);
    const port = findPort(this.catalogue.nodeType(node?.type)?.inputs ?? [], input);
    const { upload } = this.services;
    const stored = await uploadForInput(port, input, file, upload && ((chosen) => upload(this.projectId, chosen)));
    if ("problem" in stored) return stored.problem;
    this.graph.updateNodeData(nodeId, { [input]: stored.path }, false);
    return null;
  }
}
