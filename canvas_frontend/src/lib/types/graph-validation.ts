/* Generated from schemas/graph-validation.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

/**
 * error: blocks running the node; warning: runs, but probably not as meant; info: something was adjusted (e.g. a node type upgraded in place).
 */
export type Severity = "error" | "warning" | "info";
export type IssueCode =
  | "graph_schema"
  | "duplicate_node_id"
  | "duplicate_edge_id"
  | "unknown_node_type"
  | "type_version_incompatible"
  | "type_version_upgraded"
  | "invalid_params"
  | "dangling_edge"
  | "unknown_handle"
  | "incompatible_sockets"
  | "too_many_connections"
  | "missing_required_input"
  | "cycle"
  | "unknown_parent"
  | "parent_not_a_group"
  | "parent_cycle"
  | "unknown_pipeline"
  | "pipeline_version_mismatch"
  | "sequence_timeline";

/**
 * The result of validating a canvas graph (POST /api/v1/projects/{id}/validate, and before every dispatch): every problem found, each tied to the node or edge at fault.
 */
export interface ValidationReport {
  /**
   * True when no issue has severity error.
   */
  valid: boolean;
  issues: GraphIssue[];
}
export interface GraphIssue {
  /**
   * The node at fault; null for a problem of the whole graph.
   */
  node_id: string | null;
  /**
   * The edge at fault, when an edge is.
   */
  edge_id?: string | null;
  severity: Severity;
  code: IssueCode;
  /**
   * A sentence: what is wrong, with which value.
   */
  message: string;
  /**
   * What to do about it.
   */
  fix?: string | null;
}
