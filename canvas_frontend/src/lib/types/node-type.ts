/* Generated from schemas/node-type.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

/**
 * Palette section.
 */
export type NodeCategory =
  | "Structure"
  | "Source"
  | "Generate"
  | "Animate"
  | "Audio"
  | "Identity"
  | "Edit"
  | "Post-Production"
  | "Control"
  | "Training"
  | "Assembly";
/**
 * builtin: a data file shipped with the server; pipeline: derived from a pipeline manifest.
 */
export type NodeOrigin = "builtin" | "pipeline";
/**
 * What compiling the node produces: none (a data source or container), pipeline (a Function Runner job), edl (the Sequence's edit decision list), render (the final video).
 */
export type Executor = "none" | "pipeline" | "edl" | "render";
/**
 * The data type of a node socket (PRD §4.3). Which type may feed which is declared in socket-compatibility.json (schema socket-compatibility.schema.json).
 */
export type SocketType =
  | "String"
  | "Integer"
  | "Float"
  | "Boolean"
  | "Image"
  | "Video"
  | "Audio"
  | "AssetReference"
  | "ControlMap"
  | "Mask"
  | "PipelineReference"
  | "EDL";

/**
 * One entry of the node palette (GET /api/v1/node-types, the ComfyUI object_info analogue): the sockets and parameters of a canvas node type. Built-ins are data files; one is derived from each pipeline manifest.
 */
export interface NodeType {
  /**
   * The canvas node's `type`: a built-in such as ShotNode, or pipeline:<pipeline id>.
   */
  id: string;
  /**
   * Semver of the type; a saved node whose data.type_version has the same major version is upgraded in place.
   */
  version: string;
  title: string;
  description?: string;
  category: NodeCategory;
  origin: NodeOrigin;
  executor: Executor;
  /**
   * For executor `pipeline` without a connected or fixed pipeline: the task type whose pipeline the project quality selects (library/quality_map.json).
   */
  task_type?:
    | "generate-image"
    | "generate-video"
    | "image-to-video"
    | "talking-head"
    | "motion-transfer"
    | "identity-image"
    | "face-swap"
    | "tts"
    | "image-edit"
    | "super-resolution"
    | "video-restoration"
    | "control-extract"
    | "train-lora";
  /**
   * For a node type derived from a pipeline manifest: the pipeline it runs.
   */
  pipeline_id?: string;
  /**
   * Runs without a GPU (labelled as such in the palette).
   */
  cpu_only?: boolean;
  /**
   * Groups other nodes (parentId must name a node of such a type).
   */
  container?: boolean;
  /**
   * @maxItems 32
   */
  inputs: Port[];
  /**
   * @maxItems 16
   */
  outputs: Port[];
  /**
   * JSON Schema (draft 2020-12) of the node's data besides its input widget values and the reserved keys (type_version, active_take). A property with "x-affects-output": false (names, labels, numbering) is left out of cache keys.
   */
  params: {
    [k: string]: unknown | undefined;
  };
}
export interface Port {
  name: string;
  type: SocketType;
  label?: string;
  description?: string;
  required?: boolean;
  multiple?: boolean;
  default?: unknown;
  widget?: "text" | "textarea" | "number" | "slider" | "checkbox" | "select" | "file";
  /**
   * JSON Schema keywords for a primitive value (minimum, maximum, enum, maxLength, ...).
   */
  constraints?: {
    [k: string]: unknown | undefined;
  };
}
