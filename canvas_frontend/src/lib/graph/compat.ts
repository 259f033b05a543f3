// Socket compatibility and connection rules: the same relation the server uses
// (server/graph/compatibility.py), read from the generated schemas/socket-compatibility.json.
import type { NodeType, Port, SocketType } from "../types/contracts";
import { SOCKET_COMPATIBILITY } from "../types/socket-compatibility.data";

const IMPLICIT = new Set(SOCKET_COMPATIBILITY.implicit.map((pair) => `${pair.source}->${pair.target}`));

/** An output of type `source` may feed an input of type `target`. */
export function isCompatible(source: SocketType, target: SocketType): boolean {
  return source === target || IMPLICIT.has(`${source}->${target}`);
}

export interface GraphNodeRef {
  id: string;
  type?: string;
}
export interface GraphEdgeRef {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}
export interface ConnectionLike {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export function findPort(ports: Port[], name: string | null | undefined): Port | undefined {
  return ports.find((port) => port.name === name);
}

/** Why a connection is refused, or null when it is allowed. */
export function connectionProblem(
  connection: ConnectionLike,
  nodes: readonly GraphNodeRef[],
  edges: readonly GraphEdgeRef[],
  types: ReadonlyMap<string, NodeType>,
): string | null {
  if (connection.source === connection.target) return "A node cannot connect to itself.";
  const source = nodes.find((n) => n.id === connection.source);
  const target = nodes.find((n) => n.id === connection.target);
  const sourceType = source?.type ? types.get(source.type) : undefined;
  const targetType = target?.type ? types.get(target.type) : undefined;
  if (!sourceType || !targetType) return "Unknown node type.";
  const output = findPort(sourceType.outputs, connection.sourceHandle);
  const input = findPort(targetType.inputs, connection.targetHandle);
  if (!output || !input) return "Unknown socket.";
  if (!isCompatible(output.type, input.type)) return `${output.type} cannot feed ${input.type}.`;
  const taken = edges.some(
    (e) =>
      e.target === connection.target &&
      e.targetHandle === connection.targetHandle &&
      !(e.source === connection.source && e.sourceHandle === connection.sourceHandle),
  );
  if (taken && !input.multiple) return `${input.label ?? input.name} takes one connection.`;
  const duplicate = edges.some(
    (e) =>
      e.source === connection.source &&
      e.target === connection.target &&
      e.sourceHandle === connection.sourceHandle &&
      e.targetHandle === connection.targetHandle,
  );
  if (duplicate) return "These sockets are already connected.";
  return null;
}

/** Colours of the socket types: handles and edges share them. */
export const SOCKET_COLOURS: Record<SocketType, string> = {
  String: "#e2c25b",
  Integer: "#7fb2ff",
  Float: "#58c4dc",
  Boolean: "#d98cff",
  Image: "#5ad08a",
  Video: "#ff8a5b",
  Audio: "#ff6fa8",
  AssetReference: "#b59cff",
  ControlMap: "#46d3b5",
  Mask: "#c0c7d1",
  PipelineReference: "#f2994a",
  EDL: "#9aa7ff",
};
