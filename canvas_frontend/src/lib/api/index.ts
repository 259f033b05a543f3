// Every HTTP call of the app: the bearer token (kept in sessionStorage), JSON and error bodies.
import type {
  NodeInput,
  NodeType,
  PipelineManifest,
  SocketType,
  TakeSummary,
  ValidationReport,
} from "../types/contracts";

const TOKEN_KEY = "studio.token";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function getToken(): string | null {
  return typeof sessionStorage === "undefined" ? null : sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) setToken(null);
  if (!response.ok) throw await errorOf(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = await response.json();
    const error = body?.error;
    if (error?.message) return new ApiError(response.status, error.message, error.code);
    if (typeof body?.detail === "string") return new ApiError(response.status, body.detail);
  } catch {
    /* not JSON */
  }
  return new ApiError(response.status, `${response.status} ${response.statusText}`);
}

export interface ProjectSummary {
  id: string;
  name: string;
  slug: string;
  description: string;
  aspect_ratio: string;
  quality: string;
  hardware_policy: string;
  role: string;
  version: number;
  updated_at: string;
}
export interface ProjectPublic extends ProjectSummary {
  canvas_path: string;
  graph: { nodes: unknown[]; edges: unknown[] };
}
export interface NewProject {
  name: string;
  description?: string;
  aspect_ratio?: string;
  quality?: string;
}
/** One take of a node, as the take lists and server:task_success carry it (schemas/ws-events TakeSummary). */
export type Take = TakeSummary;

/** A file stored in the project by POST /api/v1/projects/{id}/uploads. */
export interface UploadedFile {
  /** Project-relative (01_Assets/Source_Media/…): what a file input's value holds in node data. */
  path: string;
  url: string;
  sha256: string;
  size: number;
  kind: "image" | "video" | "audio";
  socket_type: Extract<SocketType, "Image" | "Video" | "Audio">;
}

/** The authenticated files route of a project-relative path. */
export function fileUrl(projectId: string, path: string): string {
  const encoded = path.split("/").map(encodeURIComponent).join("/");
  return `/api/v1/projects/${encodeURIComponent(projectId)}/files/${encoded}`;
}

/** A file sent as the raw request body (no multipart): uploads and dropped workflows. */
async function postFile<T>(path: string, file: File): Promise<T> {
  const headers: Record<string, string> = { "Content-Type": file.type || "application/octet-stream" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${path}?filename=${encodeURIComponent(file.name)}`, {
    method: "POST",
    headers,
    body: file,
  });
  if (response.status === 401) setToken(null);
  if (!response.ok) throw await errorOf(response);
  return (await response.json()) as T;
}

const upload = (projectId: string, file: File) =>
  postFile<UploadedFile>(`/api/v1/projects/${encodeURIComponent(projectId)}/uploads`, file);

/** A value input of a dropped workflow's node, with the server's suggestion for exposing it. */
export interface InputCandidate {
  node: string;
  input: string;
  class_type: string;
  /** The node's title in ComfyUI. */
  title: string;
  value: unknown;
  type: SocketType;
  name: string;
  expose_as: "socket" | "param";
  /** Pre-selected: prompts and media files. */
  suggested: boolean;
}
export interface OutputCandidate {
  node: string;
  class_type: string;
  title: string;
  type: SocketType;
  name: string;
}
/** POST …/templates/inspect: what a dropped ComfyUI workflow (JSON or PNG) offers. */
export interface WorkflowInspection {
  id: string;
  title: string;
  workflow: Record<string, unknown>;
  node_classes: string[];
  inputs: InputCandidate[];
  outputs: OutputCandidate[];
  seeds: NodeInput[];
}
export interface Exposure {
  node: string;
  input: string;
  name: string;
  expose_as: "socket" | "param";
  type?: SocketType;
}
export interface TemplateCreate {
  id: string;
  title: string;
  workflow: Record<string, unknown>;
  expose: Exposure[];
  outputs: { node: string; name: string; type?: SocketType }[];
  seeds?: NodeInput[];
  /** project: committed to the project; library: the workspace Library (admins). */
  target: "project" | "library";
}
export interface TemplatePublic {
  id: string;
  target: "project" | "library";
  path: string;
  commit?: string;
  node_type: NodeType;
}

export async function login(username: string, password: string): Promise<void> {
  const response = await fetch("/auth/token", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ username, password }),
  });
  if (!response.ok) throw await errorOf(response);
  const body = (await response.json()) as { access_token: string };
  setToken(body.access_token);
}

export const api = {
  me: () => request<{ username: string; is_admin: boolean }>("GET", "/api/v1/users/me"),
  // The largest page (README "Lists come in pages"): a hub showing more would need paging of its own.
  listProjects: () => request<ProjectSummary[]>("GET", "/api/v1/projects?limit=500"),
  createProject: (project: NewProject) => request<ProjectSummary>("POST", "/api/v1/projects", project),
  getProject: (id: string) => request<ProjectPublic>("GET", `/api/v1/projects/${encodeURIComponent(id)}`),
  /** The palette: built-ins, pipelines, the workspace's templates and (given a project) the project's own. */
  nodeTypes: (projectId?: string) =>
    request<NodeType[]>(
      "GET",
      projectId ? `/api/v1/node-types?project_id=${encodeURIComponent(projectId)}` : "/api/v1/node-types",
    ),
  pipelines: () => request<{ pipelines: PipelineManifest[] }>("GET", "/api/v1/pipelines"),
  takes: (projectId: string, nodeId: string) =>
    request<Take[]>(
      "GET",
      `/api/v1/projects/${encodeURIComponent(projectId)}/takes?node_id=${encodeURIComponent(nodeId)}`,
    ),
  takesByNode: (projectId: string) =>
    request<Record<string, Take[]>>("GET", `/api/v1/projects/${encodeURIComponent(projectId)}/takes/by-node`),
  validate: (projectId: string) =>
    request<ValidationReport>("POST", `/api/v1/projects/${encodeURIComponent(projectId)}/validate`),
  upload,
  inspectWorkflow: (projectId: string, file: File) =>
    postFile<WorkflowInspection>(`/api/v1/projects/${encodeURIComponent(projectId)}/templates/inspect`, file),
  createTemplate: (projectId: string, body: TemplateCreate) =>
    request<TemplatePublic>("POST", `/api/v1/projects/${encodeURIComponent(projectId)}/templates`, body),
};

const blobs = new Map<string, { blob: Promise<string>; users: number; revoke?: ReturnType<typeof setTimeout> }>();
// A blob nobody shows any more is revoked after a pause: a node that re-renders, or a take shown again in
// the compare view, reuses it instead of downloading the file again.
const REVOKE_AFTER_MS = 30_000;

/** A media file of the authenticated files route as a blob: URL an <img> or <video> can show (shared per
 * URL). Each call counts as one user until `releaseMedia(url)`. */
export function mediaUrl(url: string): Promise<string> {
  let entry = blobs.get(url);
  if (!entry) {
    const blob = (async () => {
      const token = getToken();
      const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      if (!response.ok) throw await errorOf(response);
      return URL.createObjectURL(await response.blob());
    })();
    entry = { blob, users: 0 };
    blob.catch(() => blobs.delete(url));
    blobs.set(url, entry);
  }
  clearTimeout(entry.revoke);
  entry.users += 1;
  return entry.blob;
}

/** One user of `mediaUrl(url)` is done with it; the last one lets the blob go. */
export function releaseMedia(url: string): void {
  const entry = blobs.get(url);
  if (!entry || --entry.users > 0) return;
  clearTimeout(entry.revoke);
  entry.revoke = setTimeout(() => {
    blobs.delete(url);
    entry.blob.then(URL.revokeObjectURL, () => undefined);
  }, REVOKE_AFTER_MS);
}
