// Test fixtures of the stores (imported by *.test.ts only): node types and a fake server behind a connection.
import type { UploadedFile } from "../api";
import type { Ack, ClientEventName, Connection } from "../realtime";
import type { NodeType } from "../types/contracts";

export const shotType: NodeType = {
  id: "ShotNode",
  version: "1.0.0",
  title: "Shot",
  category: "Generate",
  origin: "builtin",
  executor: "pipeline",
  inputs: [
    { name: "pipeline", type: "PipelineReference" },
    { name: "prompt", type: "String", widget: "textarea", default: "" },
  ],
  outputs: [{ name: "image", type: "Image" }],
  params: { type: "object", properties: { shot_id: { type: "string" }, version: { type: "integer", default: 1 } } },
};

export const pipeType: NodeType = {
  id: "PipelineNode",
  version: "1.0.0",
  title: "Pipeline",
  category: "Source",
  origin: "builtin",
  executor: "none",
  inputs: [],
  outputs: [{ name: "pipeline", type: "PipelineReference" }],
  params: {},
};

export const audioType: NodeType = {
  id: "AudioNode",
  version: "1.0.0",
  title: "Audio",
  category: "Audio",
  origin: "builtin",
  executor: "pipeline",
  inputs: [
    { name: "source_audio", type: "Audio", label: "Reference voice", widget: "file" },
    { name: "text", type: "String", required: true, widget: "textarea" },
  ],
  outputs: [{ name: "audio", type: "Audio" }],
  params: {},
};

export const vseType: NodeType = {
  id: "VSEAssemblerNode",
  version: "1.0.0",
  title: "VSE Assembler",
  category: "Assembly",
  origin: "builtin",
  executor: "render",
  inputs: [{ name: "sequence", type: "EDL", required: true }],
  outputs: [{ name: "final_video", type: "Video" }],
  params: {},
};

export const NODE_TYPES = [shotType, pipeType, audioType, vseType];

export type Sent = [ClientEventName, Record<string, unknown>][];

/** A fake server: acknowledges every edit with the next version (or answers with `answer`), records what
 * was sent. */
export function fakeServer(answer?: (event: ClientEventName, payload: Record<string, unknown>) => Ack) {
  const sent: Sent = [];
  let serverVersion = 1;
  const connection: Connection = {
    async emit(event, payload) {
      sent.push([event, payload as Record<string, unknown>]);
      if (answer) return answer(event, payload as Record<string, unknown>);
      if (["client:sync_request", "client:start_generation", "client:render_final_sequence"].includes(event))
        return { ok: true, task_id: "t1" };
      serverVersion += 1;
      return { ok: true, version: serverVersion };
    },
    close() {},
  };
  return { connection, sent };
}

/** Lets the promises queued so far run. */
export const flush = async (times = 1) => {
  for (let i = 0; i < times; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

/** What the server answers for an uploaded file stored at `path` in project p1. */
export function storedFile(path: string, kind: "audio" | "video"): UploadedFile {
  return {
    path,
    url: `/api/v1/projects/p1/files/${path}`,
    sha256: "0".repeat(64),
    size: 10,
    kind,
    socket_type: kind === "audio" ? "Audio" : "Video",
  };
}
