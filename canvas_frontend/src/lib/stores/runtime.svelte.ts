// What each node is doing and has made: its run's state and progress (from the server's task events) and
// its takes (asked for once while the canvas opens, then kept up to date by the events).
import type { TakeRef } from "../graph/takes";
import type {
  RenderSummary,
  ServerNodeStateUpdated,
  ServerNotification,
  ServerRendersUpdated,
  ServerTakesUpdated,
  ServerTaskFailed,
  ServerTaskProgress,
  ServerTaskSuccess,
} from "../types/contracts";

export interface NodeRuntime {
  state: ServerNodeStateUpdated["state"];
  progress?: number;
  step?: string;
  taskId?: string;
  error?: string;
  /** The newest take made in this session (shown until another take is chosen). */
  latest?: { url: string; thumbnail_url: string | null };
  takes?: TakeRef[];
  /** A render node's final videos, newest first (server:renders_updated). */
  renders?: RenderSummary[];
}

/** Where the takes come from (lib/api in the app, fakes in tests). */
export interface TakeSource {
  ofNode(nodeId: string): Promise<TakeRef[]>;
  /** Every node's takes in one request: what the canvas asks while it opens (one request per node was
   * hundreds of requests on a large graph). */
  byNode?(): Promise<Record<string, TakeRef[]>>;
}

export class NodeRuntimes {
  byNode = $state<Record<string, NodeRuntime>>({});
  // The nodes whose takes were asked for: a node asks when it mounts (the canvas mounts it when it first comes
  // near the view, and again if an undo brings it back), once; the events keep its takes up to date from then on.
  readonly #asked = new Set<string>();
  // The one request for every node's takes, made when the first node asks: it answers for the nodes in the graph
  // then, however much later they come into view.
  #atOpen: Promise<ReadonlySet<string>> | null = null;

  /** `settled` resolves once the client's edits so far are acknowledged (a new node is known to the server);
   * `nodeIds` lists the graph's nodes. */
  constructor(
    private readonly takes: TakeSource,
    private readonly settled: () => Promise<unknown>,
    private readonly nodeIds: () => Iterable<string>,
  ) {}

  of(nodeId: string): NodeRuntime | undefined {
    return this.byNode[nodeId];
  }

  patch(nodeId: string, patch: Partial<NodeRuntime>): void {
    this.byNode[nodeId] = { ...(this.byNode[nodeId] ?? { state: "idle" }), ...patch };
  }

  /** The node's takes from the server (after the edits that created it have been acknowledged), once. */
  async loadTakes(nodeId: string): Promise<void> {
    if (this.#asked.has(nodeId)) return;
    this.#asked.add(nodeId);
    await this.settled();
    const byNode = this.takes.byNode;
    if (byNode && (await (this.#atOpen ??= this.#loadAll(byNode))).has(nodeId)) return;
    try {
      const takes = await this.takes.ofNode(nodeId);
      // Most nodes of a large canvas have no takes: no state to write for them (a write per node is felt).
      if (takes.length || this.byNode[nodeId]?.takes) this.patch(nodeId, { takes });
    } catch {
      this.#asked.delete(nodeId); // a node the server does not know yet has no takes: it asks again when mounted
    }
  }

  /** Every node's takes in one request, written in one go; resolves with the nodes it answered for. */
  async #loadAll(byNode: NonNullable<TakeSource["byNode"]>): Promise<ReadonlySet<string>> {
    const covered = new Set(this.nodeIds());
    try {
      const all = await byNode();
      const next = { ...this.byNode };
      for (const [nodeId, takes] of Object.entries(all)) {
        if (takes.length) next[nodeId] = { ...(next[nodeId] ?? { state: "idle" }), takes };
      }
      this.byNode = next;
      return covered;
    } catch {
      return new Set(); // each node asks on its own
    }
  }

  // -- the server's task events ---------------------------------------------------------------------

  stateUpdated({ node_id, state, task_id }: ServerNodeStateUpdated): void {
    // A new run starts clean; a run that starts drops what was said while it waited (e.g. a paused queue).
    const fresh =
      state === "queued"
        ? { progress: 0, step: undefined, error: undefined }
        : state === "generating"
          ? { step: undefined }
          : {};
    this.patch(node_id, { state, taskId: task_id, ...fresh });
  }

  // Events without a node are the studio's own tasks (model pulls): the tasks panel shows them, no node does.
  progressed({ node_id, progress, step, task_id }: ServerTaskProgress): void {
    if (node_id) this.patch(node_id, { progress, step, taskId: task_id });
  }

  succeeded({ node_id, result }: ServerTaskSuccess): void {
    if (!node_id || result.output_url === undefined) return;
    this.patch(node_id, {
      state: "done",
      progress: 100,
      latest: { url: result.output_url, thumbnail_url: result.take?.thumbnail_url ?? result.output_url },
    });
  }

  /** A waiting node shows the latest word about it (a paused queue, no worker big enough) as its step. */
  noticed({ node_id, message }: ServerNotification): void {
    if (node_id && this.byNode[node_id]?.state === "queued") this.patch(node_id, { step: message });
  }

  failed({ node_id, error }: ServerTaskFailed): void {
    if (node_id) this.patch(node_id, { state: "failed", error });
  }

  takesUpdated({ node_id, takes }: ServerTakesUpdated): void {
    this.patch(node_id, { takes });
  }

  rendersUpdated({ node_id, renders }: ServerRendersUpdated): void {
    this.patch(node_id, { renders });
  }
}
