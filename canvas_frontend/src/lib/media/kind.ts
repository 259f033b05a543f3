// What a media file is, from its extension: the same table as the server's (server/takes/media.py).
export type MediaKind = "image" | "video" | "audio";

const KINDS: Record<string, MediaKind> = {
  png: "image",
  jpg: "image",
  jpeg: "image",
  webp: "image",
  exr: "image",
  mp4: "video",
  mov: "video",
  webm: "video",
  mkv: "video",
  wav: "audio",
  mp3: "audio",
  flac: "audio",
  ogg: "audio",
};

/** The kind of a path or URL (query and fragment ignored), or null when the extension is not media. */
export function mediaKind(pathOrUrl: string): MediaKind | null {
  const path = pathOrUrl.split(/[?#]/)[0];
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return null;
  return KINDS[path.slice(dot + 1).toLowerCase()] ?? null;
}

/** The file extensions of one kind, as an <input type=file> accept list (".mp4,.mov,…"). */
export function acceptList(kind: MediaKind): string {
  return Object.entries(KINDS)
    .filter(([, k]) => k === kind)
    .map(([extension]) => `.${extension}`)
    .join(",");
}

export function fileName(path: string): string {
  return path.split("/").pop() ?? path;
}
