/* Generated from schemas/*.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

export type AssetKind = "Character" | "Style" | "Prop";
/**
 * One change to the live graph (ARCHITECTURE §9): what a client's edit stands for, what server:graph_patch carries in the order applied, and what client:apply_ops sends as one edit. Clients and the server apply the same ops with the same rules.
 */
export type GraphOp = AddNodeOp | RemoveNodesOp | UpdateNodeDataOp | MoveNodesOp | AddEdgeOp | RemoveEdgesOp;
/**
 * @minItems 1
 * @maxItems 5000
 */
export type NodeIds = [string, ...string[]];
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
  | "sequence_timeline"
  | "sequence_conform"
  | "weights_missing";
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
export type MediaKind = "image" | "video" | "audio";
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
 * builtin: a data file shipped with the server; pipeline: derived from a pipeline manifest; template: derived from a pipeline template, run on a ComfyUI server.
 */
export type NodeOrigin = "builtin" | "pipeline" | "template";
/**
 * What compiling the node produces: none (a data source or container), pipeline (a Function Runner job: a pipeline image, or a template on ComfyUI), edl (the Sequence's edit decision list), render (the final video).
 */
export type Executor = "none" | "pipeline" | "edl" | "render";
/**
 * For executor `pipeline` without a connected or fixed pipeline: the task type whose pipeline the project quality selects (library/quality_map.json).
 */
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
 * How a slider shows its number: factor 2 as 2×, percent 0.5 as 50 %.
 */
export type ValueFormat = "factor" | "percent";
/**
 * diffusers' memory savers: whole models moved to the GPU only while they run (model_cpu_offload), layer by layer (sequential_cpu_offload), the VAE decoding one image or tile at a time, attention in slices; for training (train-lora), activations recomputed in the backward pass instead of kept (gradient_checkpointing) and the optimiser's state and step kept in CPU memory (optimizer_cpu_offload).
 */
export type MemorySaver =
  | "model_cpu_offload"
  | "sequential_cpu_offload"
  | "vae_slicing"
  | "vae_tiling"
  | "attention_slicing"
  | "gradient_checkpointing"
  | "optimizer_cpu_offload";
/**
 * Project-wide quality tier; selects the pipeline per task type (PRD Table 4).
 */
export type Quality = "low" | "standard" | "high";
/**
 * How a clip of another rate is conformed to the sequence's: duplicate_drop repeats or drops whole frames (frame-accurate, sharp); blend mixes neighbouring frames (smoother motion, softer picture). Either way the node gets a warning naming the clip and both rates. Absent: duplicate_drop.
 */
export type ConformMode = "duplicate_drop" | "blend";
/**
 * Linear gain: 0 silent, 1 as recorded, 2 twice the amplitude (+6 dB).
 */
export type Volume = number;
/**
 * cut: none; dissolve: cross-fade; fade_to_black: out to black, then in from black; wipe: the next clip wipes in from the left.
 */
export type TransitionKind = "cut" | "dissolve" | "fade_to_black" | "wipe";
/**
 * Where a title sits: near the top, centred, near the bottom, or on the lower third. Absent: lower_third.
 */
export type TitlePosition = "top" | "center" | "bottom" | "lower_third";
/**
 * One move, or a batch of moves sent together (dragging a selection).
 */
export type ClientUpdateNodePosition = {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  node_id?: string;
  position?: Position;
  /**
   * @minItems 1
   * @maxItems 5000
   */
  moves?: [NodeMove, ...NodeMove[]];
} & {
  [k: string]: unknown | undefined;
};

/**
 * Every contract in schemas/, by schema name.
 */
export interface StudioContracts {
  asset?: Asset;
  "canvas-graph"?: CanvasGraph;
  "graph-ops"?: GraphOp;
  "graph-validation"?: ValidationReport;
  "media-types"?: MediaTypes;
  "model-record"?: ModelRecord;
  "node-type"?: NodeType;
  "pipeline-manifest"?: PipelineManifest;
  "pipeline-template"?: PipelineTemplate;
  "project-manifest"?: ProjectManifest;
  "quality-map"?: QualityMap;
  "run-progress"?: RunProgress;
  "run-request"?: RunRequest;
  "run-result"?: RunResult;
  sequence?: SequenceData;
  "socket-compatibility"?: SocketCompatibility;
  "socket-type"?: SocketType;
  "take-sidecar"?: TakeSidecar;
  "ws-events"?: WsEvents;
}
/**
 * 01_Assets/Generative_Assets/<Characters|Styles|Props>/<folder>/asset.json: a character, style or prop of the project (PRD §5.3), its reference images (LFS, in refs/ beside this file) and its trained LoRA versions (loras/<folder>_vNN.safetensors + sidecar, immutable).
 */
export interface Asset {
  schema_version: 1;
  uuid: string;
  kind: AssetKind;
  /**
   * Shown to people and naming the asset's folder (spaces become underscores); unique in the project, whatever the case.
   */
  name: string;
  /**
   * The token a prompt names the trained concept by (e.g. 'sks_mara'); unique in the project, whatever the case.
   */
  trigger_word: string;
  description: string;
  created_at: string;
  /**
   * @maxItems 200
   */
  reference_images: ReferenceImage[];
  /**
   * Trained LoRA versions, oldest first; a version is never rewritten.
   */
  versions: AssetVersion[];
}
export interface ReferenceImage {
  /**
   * Relative to the asset's folder: refs/<stem>-<sha8>.<ext>.
   */
  file: string;
  sha256: string;
  width: number;
  height: number;
  /**
   * Appended to the trigger word in this image's training caption.
   */
  caption?: string;
}
export interface AssetVersion {
  version: number;
  /**
   * Relative to the asset's folder: loras/<folder>_vNN.safetensors.
   */
  file: string;
  /**
   * Relative to the asset's folder: the training provenance (base model and hash, steps, rank, learning rate, dataset hashes, loss).
   */
  sidecar: string;
  sha256: string;
  base_model: string;
  trained_at: string;
  task_id: string;
  /**
   * Relative to the asset's folder: loras/<folder>_vNN_sampleN.png.
   */
  samples: string[];
}
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
  id: string;
  /**
   * Node type id (a built-in such as ShotNode, or a pipeline node type).
   */
  type: string;
  position: Position;
  parentId?: string;
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
  id: string;
  source: string;
  sourceHandle?: string | null;
  target: string;
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
/**
 * Adds a node with a fresh id (its group, if any, must exist).
 */
export interface AddNodeOp {
  op: "add_node";
  node: CanvasNode;
}
/**
 * Removes nodes, every node they contain, and every edge of those nodes.
 */
export interface RemoveNodesOp {
  op: "remove_nodes";
  node_ids: NodeIds;
}
/**
 * Merges `data` into the node's data (a key set to null is removed).
 */
export interface UpdateNodeDataOp {
  op: "update_node_data";
  node_id: string;
  data: NodeDataPatch;
}
/**
 * Shallow merge into the node's data; a key set to null is removed.
 */
export interface NodeDataPatch {
  [k: string]: unknown | undefined;
}
/**
 * Moves nodes, in order; a move may also put a node into a group, take it out, or resize it.
 */
export interface MoveNodesOp {
  op: "move_nodes";
  moves: NodeMove[];
}
export interface NodeMove {
  node_id: string;
  position: Position;
  /**
   * The group (a SceneGroup node) that contains the node from now on; null takes it out of its group; absent leaves it where it is. `position` is relative to this parent, as in Svelte Flow.
   */
  parentId?: string | null;
  /**
   * The node's new width (a resized group); absent leaves it as it is.
   */
  width?: number;
  /**
   * The node's new height (a resized group); absent leaves it as it is.
   */
  height?: number;
}
/**
 * Adds an edge with a fresh id between two nodes of the graph.
 */
export interface AddEdgeOp {
  op: "add_edge";
  edge: CanvasEdge;
}
/**
 * Removes edges by id.
 */
export interface RemoveEdgesOp {
  op: "remove_edges";
  edge_ids: NodeIds;
}
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
/**
 * The media files the studio handles, by extension (schemas/media-types.json): what uploads accept, what a take or a pipeline's file input and output may be, how thumbnails and the browser show them. Every one of them is stored in Git LFS (the scaffold's .gitattributes routes each). Server, Function Runner and browser all read media-types.json.
 */
export interface MediaTypes {
  schema_version: 1;
  /**
   * Each kind of media and the socket types a file of that kind feeds; the first is the socket type of an uploaded file.
   */
  kinds: {
    image: KindSockets;
    video: KindSockets;
    audio: KindSockets;
  };
  /**
   * Lower-case extension (without the dot) -> what a file with it is.
   */
  extensions: {
    [k: string]: MediaType | undefined;
  };
}
export interface KindSockets {
  /**
   * @minItems 1
   */
  socket_types: [SocketType, ...SocketType[]];
}
export interface MediaType {
  kind: MediaKind;
  mime: string;
  /**
   * The ffmpeg demuxer forced when the studio decodes such a file: ffmpeg never guesses a format from the content, so a file that is really a playlist or another container cannot make it read other files or URLs.
   */
  demuxer: string;
}
/**
 * <model store>/<name>/.studio-model.json: what `studio models add|pull|verify` found in a model folder. The runner checks a manifest's expected hashes against it without re-reading gigabytes, and pipelines report its fingerprint as the weights hash of every take.
 */
export interface ModelRecord {
  schema_version: 1;
  name: string;
  /**
   * Where the files came from: a Hugging Face repository and revision, or the folder they were added from.
   */
  source?: {
    repo?: string;
    revision?: string;
    commit?: string;
    added_from?: string;
  };
  /**
   * Every file of the model, by path relative to its folder.
   */
  files: {
    [k: string]: RecordedFile | undefined;
  };
  /**
   * sha256 over the sorted 'path sha256' lines of every file: the weights hash a take records.
   */
  fingerprint: string;
  recorded_at: string;
}
export interface RecordedFile {
  sha256: string;
  size: number;
  /**
   * When it was hashed: a file whose size or mtime changed since is hashed again.
   */
  mtime_ns: number;
}
/**
 * One entry of the node palette (GET /api/v1/node-types, the ComfyUI object_info analogue): the sockets and parameters of a canvas node type. Built-ins are data files; one is derived from each pipeline manifest.
 */
export interface NodeType {
  /**
   * The canvas node's `type`: a built-in such as ShotNode, pipeline:<pipeline id> or template:<template id>.
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
  task_type?: TaskType;
  /**
   * For a node type derived from a pipeline manifest: the pipeline it runs.
   */
  pipeline_id?: string;
  /**
   * For a node type derived from a pipeline template (a ComfyUI workflow): the template it runs.
   */
  template_id?: string;
  /**
   * Runs without a GPU (labelled as such in the palette).
   */
  cpu_only?: boolean;
  /**
   * Groups other nodes (parentId must name a node of such a type).
   */
  container?: boolean;
  /**
   * For a node type derived from a pipeline: the licence of each model its weights come from, as the manifest names them (shown in the palette and on the node).
   *
   * @maxItems 16
   */
  licences?: WeightLicence[];
  availability?: PipelineAvailability;
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
  ui?: NodeUi;
}
export interface WeightLicence {
  /**
   * The weights' name in the manifest.
   */
  weights: string;
  licence: string;
}
/**
 * For a node type derived from a pipeline: whether this studio can run it now (image built, weights present).
 */
export interface PipelineAvailability {
  /**
   * Nothing is missing for a run: its weights are present and, where pipelines run in Docker, its image is built.
   */
  ready: boolean;
  /**
   * The Docker image is built on the studio's engine; null where no engine answers (pipelines run as processes).
   */
  image_built?: boolean | null;
  /**
   * Every model the manifest requires is in the model store, in its format, with the declared hashes.
   */
  weights_present: boolean;
  problems: AvailabilityProblem[];
}
export interface AvailabilityProblem {
  message: string;
  /**
   * The command that fixes it, e.g. studio models pull stable-diffusion-v1-5.
   */
  fix: string;
}
export interface Port {
  name: string;
  type: SocketType;
  label?: string;
  description?: string;
  required?: boolean;
  multiple?: boolean;
  /**
   * For an output: the pipeline may leave it out of a run's result (e.g. an image or a video, whichever its input was); every other declared output must be there.
   */
  optional?: boolean;
  default?: unknown;
  widget?: "text" | "textarea" | "number" | "slider" | "checkbox" | "select" | "file";
  /**
   * JSON Schema keywords for a primitive value (minimum, maximum, enum, maxLength, ...).
   */
  constraints?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * How the canvas draws a node of this type; running it is not affected. Each name is one of the type's inputs or params.
 */
export interface NodeUi {
  /**
   * The values drawn first, in this order; the others are folded under More settings.
   *
   * @maxItems 8
   */
  featured?: FeaturedValue[];
  /**
   * Values not drawn at all (set elsewhere, such as an auto-numbered shot id).
   *
   * @maxItems 32
   */
  omit?: string[];
  /**
   * Input sockets drawn only while connected (or revealed): references most nodes of the type leave empty.
   *
   * @maxItems 32
   */
  hide_inputs?: string[];
  reveal_inputs?: RevealInputs;
  /**
   * The data value shown beside the title (a shot's shot_id).
   */
  subtitle?: string;
}
/**
 * A value a node draws first, with how to present it.
 */
export interface FeaturedValue {
  name: string;
  /**
   * Instead of the value's own label.
   */
  label?: string;
  placeholder?: string;
  /**
   * Lines of a text area.
   */
  rows?: number;
  format?: ValueFormat;
}
/**
 * Hidden input sockets drawn while one of the node's values asks for them: a Shot whose task type edits an image shows its start image socket.
 */
export interface RevealInputs {
  /**
   * The param whose value decides.
   */
  param: string;
  /**
   * For each value of the param, the hidden inputs drawn while it has that value.
   */
  values: {
    /**
     * @maxItems 32
     */
    [k: string]: string[] | undefined;
  };
}
/**
 * pipeline_images/<id>/pipeline.json: what a containerised model takes, gives and needs (ARCHITECTURE §6). Adding a folder with one of these adds a node to the palette.
 */
export interface PipelineManifest {
  schema_version: 1;
  /**
   * Pipeline id, also its folder name, e.g. t2i-sd1.5 or cpu-storyboard.
   */
  id: string;
  version: string;
  title: string;
  description?: string;
  /**
   * Palette category.
   */
  category:
    | "Generate"
    | "Animate"
    | "Audio"
    | "Identity"
    | "Edit"
    | "Post-Production"
    | "Control"
    | "Training";
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
   * The library stack the entrypoint runs on (pipeline_images/stacks/<stack>/, e.g. diffusers): the image builds FROM that stack's layer, and the process backend runs it in that stack's virtualenv. Absent: the base image and the studio's own interpreter (CPU pipelines).
   */
  stack?: string;
  /**
   * Command run inside the container (and by the process backend), relative to the pipeline folder.
   *
   * @minItems 1
   */
  entrypoint?: [string, ...string[]];
  /**
   * Content gates the studio applies to the pipeline's inputs and outputs, e.g. sfw: the runner writes the studio's gate settings into every request (run-request `gates`), which no node can change; the gate's classifier is one of the manifest's weights.
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
  /**
   * Where min_vram_gb comes from: 'prd-table-4' (the PRD's tiers, not yet measured for this pipeline) or 'measured' (a run of benchmarks/gpu_pipelines.py at the tier's sizes).
   */
  vram_basis?: "prd-table-4" | "measured";
  /**
   * What the entrypoint enables on a GPU with at most max_vram_gb of VRAM (the first rule that holds; none on a bigger GPU, nothing on the CPU): how a big model fits the smaller tiers.
   *
   * @maxItems 8
   */
  memory_savers?: MemorySaverRule[];
  cpus?: number;
  memory_mb?: number;
}
export interface MemorySaverRule {
  max_vram_gb: number;
  savers: MemorySaver[];
}
export interface Weight {
  name: string;
  /**
   * The model's folder (or file) relative to the model store, mounted read-only at /models/<path>; `studio models` calls it the model's name.
   */
  path: string;
  /**
   * diffusers (when absent): a folder in from_pretrained layout (model_index.json naming its component folders); file: one file, checked against sha256; folder: a folder of files the pipeline opens itself (ONNX graphs, a transformers model, any network spandrel loads picked by a param), checked against `files` where given.
   */
  format?: "diffusers" | "file" | "folder";
  /**
   * The Hugging Face repository `studio models pull <path>` fetches by default.
   */
  repo?: string;
  /**
   * The repository revision (branch, tag or commit) to pull.
   */
  revision?: string;
  /**
   * The pipeline runs without it (e.g. a latent upsampler) and uses it when present.
   */
  optional?: boolean;
  /**
   * The weights' licence, as its model card names it.
   */
  licence?: string;
  /**
   * For format file: the file's sha256.
   */
  sha256?: string;
  /**
   * Expected sha256 of files inside the folder, by path relative to it: a copy whose files differ is refused with the fix.
   */
  files?: {
    [k: string]: string | undefined;
  };
  description?: string;
}
/**
 * template.json of a pipeline template (ARCHITECTURE §15): a ComfyUI workflow in its API format (workflow.json beside it) made into a canvas node. It says which workflow node inputs the node's sockets and params set, which output nodes give its outputs and which inputs take the node's seed. The node classes it needs are the workflow's own class_type values. Lives in <workspace>/Library/Pipeline_Templates/<id>/ or a project's 02_Source_Creative/Pipeline_Templates/<id>/.
 */
export interface PipelineTemplate {
  schema_version: 1;
  /**
   * Template id, also its folder name, e.g. sd15-txt2img; the node type is template:<id>.
   */
  id: string;
  version: string;
  title: string;
  description?: string;
  category: NodeCategory;
  task_type?: TaskType;
  /**
   * The node's input sockets. A media input (Image, Mask, ControlMap, Video, Audio) is uploaded to ComfyUI and its file name set on the bound node inputs.
   *
   * @maxItems 32
   */
  inputs: Port[];
  /**
   * The node's outputs; output_nodes says which workflow node saves each.
   *
   * @minItems 1
   * @maxItems 16
   */
  outputs: [Port, ...Port[]];
  /**
   * JSON Schema (draft 2020-12) of the node's settings; each property is bound like an input. A value left unset keeps the workflow's own.
   */
  params?: {
    [k: string]: unknown | undefined;
  };
  /**
   * Input or param name -> the workflow node inputs its value is written to.
   */
  bindings: {
    /**
     * @minItems 1
     * @maxItems 16
     */
    [k: string]: [NodeInput, ...NodeInput[]] | undefined;
  };
  /**
   * Output name -> the id of the workflow node that saves it (SaveImage, SaveVideo, SaveAudio, …).
   */
  output_nodes: {
    [k: string]: string | undefined;
  };
  /**
   * Workflow node inputs that take the canvas node's seed, so a take can be made again.
   *
   * @maxItems 16
   */
  seed_inputs?: NodeInput[];
  /**
   * Same inputs, settings and seed give the same output on the same ComfyUI: results may be cached.
   */
  deterministic?: boolean;
  timeout_s?: number;
}
/**
 * One input of one workflow node.
 */
export interface NodeInput {
  /**
   * A node id of the workflow (a key of ComfyUI's API format: "3", or "12:4" inside a group).
   */
  node: string;
  input: string;
}
/**
 * project.json at the root of every project repository (PRD §2.3): the project's identity card.
 */
export interface ProjectManifest {
  /**
   * Format version of this document; upgrade functions migrate older ones.
   */
  schema_version: 1;
  /**
   * Immutable primary key of the project, generated at creation.
   */
  uuid: string;
  /**
   * Human-readable title: 1-100 characters, no path separators or control characters.
   */
  title: string;
  description: string;
  /**
   * Repository-relative path of the main Production Canvas file.
   */
  canvas_path: string;
  project_settings: ProjectSettings;
  /**
   * Revision of the project, incremented on every accepted change (optimistic locking).
   */
  version: number;
}
export interface ProjectSettings {
  /**
   * Default aspect ratio of renders, width:height (e.g. 16:9, 2.39:1).
   */
  aspect_ratio: string;
  quality: Quality;
  /**
   * When no live worker can hold the selected pipeline: wait for one (queue) or use the best tier that fits (fallback). Default fallback.
   */
  hardware_policy?: "queue" | "fallback";
}
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
  low?: string;
  standard?: string;
  high?: string;
  /**
   * Runs without a GPU; chosen when the tier's pipeline is not installed.
   */
  cpu?: string;
}
/**
 * One progress line a pipeline prints on stdout (sdk.progress). Other stdout lines are logs and are ignored.
 */
export interface RunProgress {
  progress: number;
  step?: string;
  metrics?: ProgressMetrics;
  [k: string]: unknown | undefined;
}
/**
 * Numbers a job reports with its progress: a training's loss at its current step.
 */
export interface ProgressMetrics {
  loss?: number;
  training_step?: number;
}
/**
 * <job>/in/request.json, written by the Function Runner for one pipeline invocation (ARCHITECTURE §6). File inputs are names of files in in/.
 */
export interface RunRequest {
  /**
   * Input port name -> value; for file sockets a file name in in/ (a list of them for `multiple` ports).
   */
  inputs: {
    [k: string]: unknown | undefined;
  };
  /**
   * Values checked against the manifest's params schema, defaults filled in.
   */
  params: {
    [k: string]: unknown | undefined;
  };
  seed: number;
  /**
   * The content gates the studio's configuration applies to this run (for a manifest with `gated`); written by the runner after the node's params, so no node can change or drop them. A gate that is absent is switched off by the studio.
   */
  gates?: {
    sfw?: SfwGate;
  };
}
export interface SfwGate {
  /**
   * Refuse an input or output the classifier rates more likely than this to be not safe for work.
   */
  threshold: number;
}
/**
 * <job>/out/result.json, written by the pipeline (sdk.write_outputs) when it succeeds (ARCHITECTURE §6).
 */
export interface RunResult {
  /**
   * Output port name -> file name inside out/. Every output the manifest declares must be present.
   */
  outputs: {
    [k: string]: string | undefined;
  };
  /**
   * Free-form facts about the result (sizes, durations, seeds used).
   */
  metadata?: {
    [k: string]: unknown | undefined;
  };
}
/**
 * A Sequence node's data (ARCHITECTURE §12): its clips in order with trims, transitions, title overlays and the audio/music track, all in whole frames at `fps`. It is the Sequence node type's params schema, so a graph edit that breaks it is refused. Clips of another rate are conformed to `fps`, never refused.
 */
export interface SequenceData {
  /**
   * The sequence's rate: every frame number here, and the render, is at this rate.
   */
  fps?: number;
  conform?: ConformMode;
  /**
   * The clips in timeline order; each names the node connected to `clips` whose take it cuts (its chosen take, else its newest). Absent or empty: the connected clips in connection order, untrimmed.
   *
   * @maxItems 2000
   */
  timeline?: TimelineClip[];
  /**
   * At most one per cut; a cut with none is a straight cut.
   *
   * @maxItems 2000
   */
  transitions?: Transition[];
  /**
   * Text overlays on their own track, over the picture.
   *
   * @maxItems 500
   */
  titles?: Title[];
  /**
   * Placement and level of each node connected to `audio` (music, voice-over), mixed under the clips' own sound. A connected audio node with no entry starts at frame 0 at full volume.
   *
   * @maxItems 100
   */
  audio_tracks?: AudioTrack[];
  [k: string]: unknown | undefined;
}
/**
 * One clip of the timeline. Trims are in frames of the sequence's rate, counted on the clip as conformed to it.
 */
export interface TimelineClip {
  node_id: string;
  /**
   * Frames cut from the clip's head.
   */
  trim_in?: number;
  /**
   * Frames cut from the clip's tail.
   */
  trim_out?: number;
  /**
   * Frames the clip's own sound is shifted against its picture (positive: later).
   */
  audio_offset?: number;
  volume?: Volume;
}
/**
 * The transition at the cut after clip `after_clip`. The two clips overlap by `frames` around the cut (the later clip gives frames/2 of its head, rounded down, the earlier the rest of its tail), so the sequence is `frames` shorter than its clips laid end to end. fade_to_black fades the earlier clip out to black over its part and the later clip in from black over its part.
 */
export interface Transition {
  /**
   * Index in timeline of the clip it leaves.
   */
  after_clip: number;
  kind: TransitionKind;
  /**
   * Its length in frames.
   */
  frames?: number;
}
/**
 * A text overlay from `start_frame` (on the sequence) for `frames` frames.
 */
export interface Title {
  text: string;
  start_frame: number;
  frames: number;
  position?: TitlePosition;
}
/**
 * Where one node connected to `audio` plays on the sequence.
 */
export interface AudioTrack {
  node_id: string;
  /**
   * Frames from the sequence's start to the track's start; negative starts the track that many frames into itself.
   */
  offset?: number;
  volume?: Volume;
}
/**
 * Which socket type may feed which (ARCHITECTURE §5). A type always feeds itself; any other pair is refused unless listed here. Browser and server both read socket-compatibility.json.
 */
export interface SocketCompatibility {
  schema_version: 1;
  /**
   * Extra pairs allowed besides identity: an output of type `source` may feed an input of type `target`.
   */
  implicit: SocketConversion[];
}
export interface SocketConversion {
  source: SocketType;
  target: SocketType;
  reason: string;
}
/**
 * The provenance of one take, stored beside it as <take stem>.json and committed with it (ARCHITECTURE §8).
 */
export interface TakeSidecar {
  schema_version: 1;
  /**
   * The take's file name (never a path), e.g. SHOT-010_v01_take03.png.
   */
  take: string;
  node_id: string;
  /**
   * The shot the take belongs to, or NODE-<node id> for a node that is not a shot.
   */
  shot_id: string;
  scene: string;
  version: number;
  take_number: number;
  task_id: string;
  cache_key?: string | null;
  pipeline: {
    id: string;
    version: string;
    image?: string | null;
    image_digest?: string | null;
    backend?: "docker" | "process" | "comfyui";
  };
  /**
   * For a take of a pipeline template: what ComfyUI ran, so the take can be made again.
   */
  comfyui?: {
    prompt_id: string;
    /**
     * The workflow as queued (API format): the node's values, the uploaded files' names and the seed written in. Queue it on ComfyUI again to make the take again.
     */
    workflow: {
      [k: string]: unknown | undefined;
    };
    /**
     * Input name -> the name its file was stored under in ComfyUI's input folder.
     */
    uploads?: {
      [k: string]: string | undefined;
    };
    comfyui_version?: string | null;
  };
  params: {
    [k: string]: unknown | undefined;
  };
  /**
   * What ran, as the pipeline reported it (generative models): the weights and their hash, the library versions, the device and every argument of the library call, defaults included.
   */
  model?: {
    /**
     * The model-store folder, e.g. stable-diffusion-v1-5.
     */
    name: string;
    /**
     * The model record's fingerprint; null when the folder has no record (run `studio models verify`).
     */
    weights_sha256?: string | null;
    libraries?: {
      [k: string]: string | undefined;
    };
    device?: string;
    dtype?: string;
    memory_savers?: string[];
    /**
     * Peak GPU memory the job allocated (torch); null on the CPU.
     */
    peak_vram_gb?: number | null;
    /**
     * Every argument of the library call (steps, guidance, size, frames…), defaults included.
     */
    arguments?: {
      [k: string]: unknown | undefined;
    };
    /**
     * When the run read several model-store folders (face swap: detector, swapper, gate): each folder's record fingerprint (null without a record).
     */
    models?: {
      [k: string]: (string | null) | undefined;
    };
    /**
     * For a model folder of network files (weights format folder): the file that ran, its sha256 and what the loader detected in it (architecture, purpose, scale, tile).
     */
    network?: {
      file: string;
      sha256: string | null;
      architecture?: string;
      purpose?: string;
      scale?: number;
      tile?: number;
      [k: string]: unknown | undefined;
    };
  } | null;
  seed: number;
  /**
   * Resolved inputs: primitive values, or repository paths with their sha256.
   */
  inputs: {
    [k: string]:
      | {
          value?: unknown;
          path?: string;
          sha256?: string;
          [k: string]: unknown | undefined;
        }
      | undefined;
  };
  quality: {
    requested: "low" | "standard" | "high" | "cpu";
    used: "low" | "standard" | "high" | "cpu";
    fallback_reason?: string | null;
  };
  worker: {
    host: string;
    gpu?: string | null;
    queue?: string;
  };
  timings: {
    queued_at: string;
    started_at: string;
    finished_at: string;
    run_seconds?: number;
  };
  output: {
    /**
     * The pipeline output this take is.
     */
    name: string;
    sha256: string;
    size: number;
    media_type: string;
    /**
     * Probed media facts: width, height, duration, fps, sample rate…
     */
    media?: {
      [k: string]: unknown | undefined;
    };
    probe?: MediaProbe;
  };
}
/**
 * What ffmpeg found in a video or audio take when it was committed, so a render reads this instead of probing (ARCHITECTURE §12). Takes committed before it existed have none and are probed. A stream the take does not have (video, audio) is absent (sidecars are written without nulls).
 */
export interface MediaProbe {
  /**
   * The container's duration in seconds (0 when it states none).
   */
  duration_s: number;
  /**
   * Video frames, counted from the packets.
   */
  frames: number;
  /**
   * Display-order indices of the video keyframes (the GOP structure).
   *
   * @maxItems 1000000
   */
  keyframes: number[];
  video?: null | VideoProbe;
  audio?: null | AudioProbe;
}
export interface VideoProbe {
  codec: string;
  pix_fmt: string;
  width: number;
  height: number;
  /**
   * The frame rate as a fraction: 30000/1001 for 29.97 fps.
   */
  fps_num: number;
  fps_den: number;
}
export interface AudioProbe {
  codec: string;
  sample_rate: number;
  channels: number;
}
/**
 * Socket.IO events of one project's channel (PRD Table 6, ARCHITECTURE §9): each property is an event name (client:* sent by browsers, server:* by the server) and its payload.
 */
export interface WsEvents {
  "client:update_node_data"?: ClientUpdateNodeData;
  "client:update_node_position"?: ClientUpdateNodePosition;
  "client:add_node"?: ClientAddNode;
  "client:remove_nodes"?: ClientRemoveNodes;
  "client:add_edge"?: ClientAddEdge;
  "client:remove_edges"?: ClientRemoveEdges;
  "client:apply_ops"?: ClientApplyOps;
  "client:sync_request"?: ClientSyncRequest;
  "client:save"?: ClientSave;
  "client:start_generation"?: ClientStartGeneration;
  "client:select_take"?: ClientSelectTake;
  "client:render_final_sequence"?: ClientRenderFinalSequence;
  "server:graph_patch"?: ServerGraphPatch;
  "server:graph_patches"?: ServerGraphPatches;
  "server:full_sync"?: ServerFullSync;
  "server:conflict"?: ServerConflict;
  "server:error"?: ServerError;
  "server:node_state_updated"?: ServerNodeStateUpdated;
  "server:task_progress"?: ServerTaskProgress;
  "server:task_success"?: ServerTaskSuccess;
  "server:task_failed"?: ServerTaskFailed;
  "server:takes_updated"?: ServerTakesUpdated;
  "server:notification"?: ServerNotification;
  "server:renders_updated"?: ServerRendersUpdated;
}
export interface ClientUpdateNodeData {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  node_id: string;
  data: NodeDataPatch;
}
export interface ClientAddNode {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  node: CanvasNode;
}
export interface ClientRemoveNodes {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  node_ids: NodeIds;
}
export interface ClientAddEdge {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  edge: CanvasEdge;
}
export interface ClientRemoveEdges {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  edge_ids: NodeIds;
}
/**
 * Several graph operations applied as one edit (paste, undo/redo, grouping): all or none, one version increment, one graph_patch.
 */
export interface ClientApplyOps {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  /**
   * @minItems 1
   * @maxItems 1000
   */
  ops: [GraphOp, ...GraphOp[]];
}
export interface ClientSyncRequest {}
export interface ClientSave {}
export interface ClientStartGeneration {
  node_id: string;
}
export interface ClientSelectTake {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  node_id: string;
  /**
   * Repository-relative path of the take file.
   */
  take: string;
}
export interface ClientRenderFinalSequence {
  node_id: string;
}
export interface ServerGraphPatch {
  ops: GraphOp[];
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  /**
   * Socket id of the client whose edit this is.
   */
  origin: string | null;
}
/**
 * Consecutive edits of one client, sent as one message when they were applied together (edits that arrive while others are applied are applied as a batch): the same patches server:graph_patch carries one at a time, in version order. A client applies each in turn as it would a server:graph_patch.
 */
export interface ServerGraphPatches {
  /**
   * @minItems 2
   */
  patches: [ServerGraphPatch, ServerGraphPatch, ...ServerGraphPatch[]];
}
export interface ServerFullSync {
  graph: CanvasGraph;
  /**
   * The graph version the client's change was made against.
   */
  version: number;
}
export interface ServerConflict {
  /**
   * The graph version the client's change was made against.
   */
  version: number;
  message?: string;
}
export interface ServerError {
  code: string;
  message: string;
  event?: string;
}
export interface ServerNodeStateUpdated {
  node_id: string;
  state: "idle" | "queued" | "generating" | "done" | "failed";
  task_id?: string;
}
export interface ServerTaskProgress {
  task_id: string;
  /**
   * The node the task runs for; absent for a studio task (a model pull), which goes to administrators only.
   */
  node_id?: string;
  progress: number;
  step?: string;
  metrics?: ProgressMetrics;
}
export interface ServerTaskSuccess {
  task_id: string;
  /**
   * The node the task runs for; absent for a studio task (a model pull), which goes to administrators only.
   */
  node_id?: string;
  result: {
    /**
     * The output file in the project; absent when the output is no project file (a pulled model).
     */
    output_url?: string;
    take?: TakeSummary;
    [k: string]: unknown | undefined;
  };
}
/**
 * One take of a node as every list shows it: GET .../takes, server:takes_updated, server:task_success.
 */
export interface TakeSummary {
  /**
   * Repository-relative path of the take file.
   */
  path: string;
  /**
   * The take number.
   */
  take: number;
  /**
   * Where the files route serves it.
   */
  url: string;
  /**
   * Its thumbnail or poster; null when none could be made.
   */
  thumbnail_url: string | null;
  /**
   * The pipeline that made it.
   */
  pipeline: string;
  created_at: string;
}
export interface ServerTaskFailed {
  task_id: string;
  /**
   * The node the task runs for; absent for a studio task (a model pull), which goes to administrators only.
   */
  node_id?: string;
  error: string;
}
export interface ServerTakesUpdated {
  node_id: string;
  takes: TakeSummary[];
}
export interface ServerNotification {
  level: "info" | "warning" | "error";
  code: string;
  message: string;
  node_id?: string;
  task_id?: string;
}
export interface ServerRendersUpdated {
  node_id: string;
  /**
   * Newest first: the first one is the last render.
   */
  renders: RenderSummary[];
}
/**
 * One final render of a VSE Assembler (or Sequence) node as every list shows it: GET .../nodes/{node_id}/renders, server:renders_updated. Each render is its own file (06_Exports/<name>_v003.mp4), never overwritten by the next.
 */
export interface RenderSummary {
  /**
   * Repository-relative path of the export (06_Exports/...).
   */
  path: string;
  /**
   * Where the files route serves it.
   */
  url: string;
  created_at: string;
  duration_s: number;
  frames: number;
  fps: number;
  /**
   * The render task that wrote it (GET /api/v1/tasks/{id}).
   */
  task_id: string;
  settings: RenderSettings;
}
/**
 * What a final render was made from and to: the sequence as it was when the render was asked for, and the picture it gave.
 */
export interface RenderSettings {
  sequence_node_id: string;
  clips: number;
  transitions: number;
  titles: number;
  conform: ConformMode;
  width: number;
  height: number;
}
