// What a media file is, from its extension: the one table of schemas/media-types.json, which the server reads too.
import type { MediaKind, SocketType } from "../types/contracts";
import { MEDIA_TYPES } from "../types/media-types.data";

export type { MediaKind };

/** The kind of a path or URL (query and fragment ignored), or null when the extension is not media. */
export function mediaKind(pathOrUrl: string): MediaKind | null {
  const path = pathOrUrl.split(/[?#]/)[0];
  const dot = path.lastIndexOf(".");
  if (dot < 0 || dot < path.lastIndexOf("/")) return null;
  return MEDIA_TYPES.extensions[path.slice(dot + 1).toLowerCase()]?.kind ?? null;
}

/** The file extensions of one kind, as an <input type=file> accept list (".mp4,.mov,…"). */
export function acceptList(kind: MediaKind): string {
  return Object.entries(MEDIA_TYPES.extensions)
    .filter(([, type]) => type?.kind === kind)
    .map(([extension]) => `.${extension}`)
    .join(",");
}

/** The kind of file a file input of socket type `socket` takes (a mask or a control map is a picture). */
export function fileKindOf(socket: SocketType | undefined): MediaKind | null {
  if (!socket) return null;
  const kinds = Object.entries(MEDIA_TYPES.kinds) as [MediaKind, { socket_types: SocketType[] }][];
  return kinds.find(([, sockets]) => sockets.socket_types.includes(socket))?.[0] ?? null;
}

/** "an image", "a video", "an audio" file. */
export function aFile(kind: MediaKind): string {
  return `${kind === "video" ? "a" : "an"} ${kind} file`;
}

export function fileName(path: string): string {
  return path.split("/").pop() ?? path;
}
