/* Generated from schemas/canvas-graph.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

export type ElementId = string;

/**
 * The Production Canvas graph in Svelte Flow's own shape (ARCHITECTURE §5): the canvas file and the live graph.
 */
export interface CanvasGraph {
  schema_version: 1;
  /**
   * @maxItems 20000
   */
  nodes: CanvasNode[];
  /**
   * @maxItems 50000
   */
  edges: CanvasEdge[];
  viewport?: Viewport;
}
export interface CanvasNode {
  id: ElementId;
  /**
   * Node type id (a built-in such as ShotNode, or a pipeline node type).
   */
  type: string;
  position: Position;
  parentId?: ElementId;
  width?: number;
  height?: number;
  measured?: Dimensions;
  hidden?: boolean;
  /**
   * Node-type-specific properties; validated against the node type by the graph compiler.
   */
  data: {
    [k: string]: unknown | undefined;
  };
}
export interface Position {
  x: number;
  y: number;
}
export interface Dimensions {
  width: number;
  height: number;
}
export interface CanvasEdge {
  id: ElementId;
  source: ElementId;
  sourceHandle?: string | null;
  target: ElementId;
  targetHandle?: string | null;
  type?: string;
  data?: {
    [k: string]: unknown | undefined;
  };
}
export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}
