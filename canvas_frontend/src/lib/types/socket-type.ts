/* Generated from schemas/socket-type.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

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
