// A file chosen for a node's file input: checked against the kind of file the input takes before it is
// sent and again once the server has decoded it, so that an input is only ever set to a file it can use.
import type { UploadedFile } from "../api";
import { aFile, acceptList, fileKindOf, mediaKind, type MediaKind } from "../media/kind";
import type { Port } from "../types/contracts";

export type Upload = (file: File) => Promise<UploadedFile>;

/** The stored file's project path for the input `port`, or why not as a sentence. */
export async function uploadForInput(
  port: Port | undefined,
  inputName: string,
  file: File,
  upload: Upload | undefined,
): Promise<{ path: string } | { problem: string }> {
  const wanted = fileKindOf(port?.type);
  if (!port || !wanted) return { problem: `This node has no file input '${inputName}'.` };
  if (!upload) return { problem: "Uploading is not available here." };
  const wrong = (kind: MediaKind) => ({
    problem:
      `'${file.name}' is ${aFile(kind)}, but ${port.label ?? port.name} takes ${aFile(wanted)}: ` +
      `choose a file ending in ${acceptList(wanted).replaceAll(",", " ")}.`,
  });
  const named = mediaKind(file.name);
  if (named && named !== wanted) return wrong(named);
  let uploaded: UploadedFile;
  try {
    uploaded = await upload(file);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
  return uploaded.kind === wanted ? { path: uploaded.path } : wrong(uploaded.kind);
}
