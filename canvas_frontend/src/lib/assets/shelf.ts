// The canvas's asset panel: the project's assets, then the workspace Library's it has not imported, each as
// a row (thumbnail, name, kind, trigger word, latest trained version); and the drag that carries one onto
// the canvas, where it becomes an Asset node referencing it by uuid.
import { fileUrl, type AssetPublic, type LibraryAssetPublic } from "../api";

/** The drag's data type: only the canvas accepts it (a file drop stays a ComfyUI import). */
export const ASSET_DRAG_TYPE = "application/x-studio-asset";

export type AssetSource = "project" | "library";

export interface ShelfEntry {
  id: string;
  source: AssetSource;
  name: string;
  kind: string;
  triggerWord: string;
  /** The newest trained version's number, or null before the first training. */
  latestVersion: number | null;
  /** Where its picture is served (its newest sample, else its first reference image): the project's files route,
   * or the Library's thumbnail route; null before it has one. */
  thumbnailUrl: string | null;
  /** Its folder: in the project, or in the Library. */
  folder: string;
}

function projectEntry(projectId: string, { asset, folder }: AssetPublic): ShelfEntry {
  const latest = asset.versions.at(-1);
  const picture = latest?.samples[0] ?? asset.reference_images[0]?.file;
  return {
    id: asset.uuid,
    source: "project",
    name: asset.name,
    kind: asset.kind,
    triggerWord: asset.trigger_word,
    latestVersion: latest?.version ?? null,
    thumbnailUrl: picture ? fileUrl(projectId, `${folder}/${picture}`) : null,
    folder,
  };
}

/** The project's assets first; a Library asset the project already holds (same uuid) is listed once. */
export function shelfEntries(projectId: string, project: AssetPublic[], library: LibraryAssetPublic[]): ShelfEntry[] {
  const held = new Set(project.map((a) => a.asset.uuid));
  const fromLibrary = library
    .filter((a) => !held.has(a.asset.uuid))
    .map(
      ({ asset, library_path, thumbnail_url }): ShelfEntry => ({
        ...projectEntry(projectId, { asset, folder: library_path }),
        source: "library",
        thumbnailUrl: thumbnail_url, // its files are not the project's yet: the Library's own route serves it
      }),
    );
  return [...project.map((a) => projectEntry(projectId, a)), ...fromLibrary];
}

/** The Asset node's data for a project asset: its uuid (what a Shot resolves), name, kind and folder. */
export function assetNodeData({ asset, folder }: AssetPublic): Record<string, unknown> {
  return { asset_id: asset.uuid, name: asset.name, kind: asset.kind.toLowerCase(), path: folder };
}

export function encodeDrag(entry: ShelfEntry): string {
  return JSON.stringify({ id: entry.id, source: entry.source });
}

/** What a drop carries, or null when it is not an asset drag of ours. */
export function decodeDrag(text: string): { id: string; source: AssetSource } | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null) return null;
    const { id, source } = value as Record<string, unknown>;
    if (typeof id !== "string" || (source !== "project" && source !== "library")) return null;
    return { id, source };
  } catch {
    return null;
  }
}
