/* Generated from schemas/pipeline-manifest.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

export type SemVer = string;
export type TaskType =
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
 * pipeline_images/<id>/pipeline.json: what a containerised model takes, gives and needs (ARCHITECTURE §6). Adding a folder with one of these adds a node to the palette.
 */
export interface PipelineManifest {
  schema_version: 1;
  /**
   * Pipeline id, also its folder name, e.g. t2i-sd1.5 or cpu-storyboard.
   */
  id: string;
  version: SemVer;
  title: string;
  description?: string;
  /**
   * Palette category.
   */
  category:
    "Generate" | "Animate" | "Audio" | "Identity" | "Edit" | "Post-Production" | "Control" | "Training";
  task_type: TaskType;
  /**
   * @maxItems 32
   */
  inputs: Port[];
  /**
   * @minItems 1
   * @maxItems 16
   */
  outputs: [Port, ...Port[]];
  /**
   * JSON Schema (draft 2020-12) of the pipeline's parameters; each property may carry an x-widget hint.
   */
  params?: {
    [k: string]: unknown | undefined;
  };
  resources: Resources;
  /**
   * Docker image name:tag built from this folder.
   */
  image: string;
  /**
   * Command run inside the container (and by the process backend), relative to the pipeline folder.
   *
   * @minItems 1
   */
  entrypoint?: [string, ...string[]];
  /**
   * Content gates the caller must satisfy, e.g. sfw.
   */
  gated?: "sfw"[];
  /**
   * Model files expected read-only from the model store; never baked into the image.
   */
  weights?: Weight[];
  /**
   * Same inputs, params and seed give the same output: results may be cached.
   */
  deterministic?: boolean;
  /**
   * Keep a warm container that loads the model once and serves many jobs.
   */
  serve?: boolean;
  timeout_s?: number;
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
export interface Resources {
  gpu: boolean;
  /**
   * Minimum VRAM per quality tier the pipeline serves.
   */
  min_vram_gb?: {
    low?: number;
    standard?: number;
    high?: number;
  };
  cpus?: number;
  memory_mb?: number;
}
export interface Weight {
  name: string;
  /**
   * Path relative to the model store, mounted read-only at /models/<path>.
   */
  path: string;
  sha256?: string;
  description?: string;
}
