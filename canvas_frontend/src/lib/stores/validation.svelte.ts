// The server's validation of the live graph (POST …/validate): asked for once edits settle, one request at
// a time, each issue placed on its node.
import type { GraphIssue, ValidationReport } from "../types/contracts";
import { placeIssues } from "../graph/issues";
import { DebouncedJob } from "./debounced";

/** Validation waits this long after the graph version last changed (edits come in bursts while typing). */
export const VALIDATE_DEBOUNCE_MS = 600;

export class GraphValidation {
  /** Issues by the node they are on, and those of the whole graph. */
  issues = $state.raw<Record<string, GraphIssue[]>>({});
  graphIssues = $state.raw<GraphIssue[]>([]);
  private readonly job: DebouncedJob | null;

  constructor(
    private readonly validate: (() => Promise<ValidationReport>) | undefined,
    private readonly nodeIds: () => Set<string>,
  ) {
    this.job = validate ? new DebouncedJob(() => this.run(), VALIDATE_DEBOUNCE_MS) : null;
  }

  /** The graph changed: validate once changes settle. */
  request(): void {
    this.job?.request();
  }

  /** Asks the server now. */
  async run(): Promise<void> {
    if (!this.validate) return;
    const placed = placeIssues(await this.validate(), this.nodeIds());
    this.issues = placed.byNode;
    this.graphIssues = placed.general;
  }

  stop(): void {
    this.job?.stop();
  }
}
