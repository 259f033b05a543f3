// Validation issues (schemas/graph-validation.schema.json) sorted to where the canvas shows them: on the
// node at fault, or, for a problem of the whole graph, in the status bar.
import type { GraphIssue, Severity, ValidationReport } from "../types/contracts";

export interface PlacedIssues {
  byNode: Record<string, GraphIssue[]>;
  /** Issues with no node, and issues naming a node the canvas does not have. */
  general: GraphIssue[];
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function placeIssues(report: ValidationReport, nodeIds: ReadonlySet<string>): PlacedIssues {
  const byNode: Record<string, GraphIssue[]> = {};
  const general: GraphIssue[] = [];
  for (const issue of [...report.issues].sort((a, b) => RANK[a.severity] - RANK[b.severity])) {
    if (issue.node_id && nodeIds.has(issue.node_id)) (byNode[issue.node_id] ??= []).push(issue);
    else general.push(issue);
  }
  return { byNode, general };
}

/** The most serious severity among `issues`, or null for none. */
export function worstSeverity(issues: readonly GraphIssue[]): Severity | null {
  let worst: Severity | null = null;
  for (const issue of issues) if (worst === null || RANK[issue.severity] < RANK[worst]) worst = issue.severity;
  return worst;
}
