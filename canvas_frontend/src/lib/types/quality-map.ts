/* Generated from schemas/quality-map.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

export type PipelineId = string;

/**
 * Library/quality_map.json (PRD Table 4): which pipeline each quality tier selects per task type, with the CPU pipeline as the last fallback.
 */
export interface QualityMap {
  schema_version: 1;
  task_types: {
    [k: string]: QualityTiers | undefined;
  };
}
export interface QualityTiers {
  low?: PipelineId;
  standard?: PipelineId;
  high?: PipelineId;
  /**
   * Runs without a GPU; chosen when the tier's pipeline is not installed.
   */
  cpu?: string;
}
