// What a media file is, from its extension: the same table as the server's (server/takes/media.py).
import type { SocketType } from "../types/contracts";

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

const KIND_OF_SOCKET: Partial<Record<SocketType, MediaKind>> = {
  Image: "image",
  Mask: "image",
  ControlMap: "image",
  Video: "video",
  Audio: "audio",
};

/** The kind of file a file input of socket type `socket` takes (a mask or a control map is a picture). */
export function fileKindOf(socket: SocketType | undefined): MediaKind | null {
  return (socket && KIND_OF_SOCKET[socket]) ?? null;
}

/** "an image", "a video", "an audio" file. */
export function aFile(kind: MediaKind): string {
  return `${kind === "video" ? "a" : "an"} ${kind} file`;
}

export function fileName(path: string): string {
  return path.split("/").pop() ?? path;
}
