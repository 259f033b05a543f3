/* Generated from schemas/socket-compatibility.schema.json by `npm run --prefix canvas_frontend generate:types`. Do not edit. */

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
