/* Generated from schemas/project-manifest.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

/**
 * Human-readable title: 1-100 characters, no path separators or control characters.
 */
export type ProjectTitle = string;
/**
 * Default aspect ratio of renders, width:height (e.g. 16:9, 2.39:1).
 */
export type AspectRatio = string;
/**
 * Project-wide quality tier; selects the pipeline per task type (PRD Table 4).
 */
export type Quality = "low" | "standard" | "high";

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
  title: ProjectTitle;
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
  aspect_ratio: AspectRatio;
  quality: Quality;
}
