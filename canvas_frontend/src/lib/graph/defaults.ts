// A new node's data from its type: its widget inputs' defaults and, for a shot, the next shot id.
import type { NodeType } from "../types/contracts";
import { nextShotId, type GNode } from "./ops";

interface ParamSchema {
  properties?: Record<string, { default?: unknown }>;
}

export function defaultData(type: NodeType, existing: readonly GNode[]): Record<string, unknown> {
  // Parameter defaults stay implicit (the schema says them; written out they would reach the pipeline).
  const data: Record<string, unknown> = {};
  const params = type.params as ParamSchema;
  for (const port of type.inputs) {
    if (port.widget && port.default !== undefined) data[port.name] = port.default;
  }
  if (params.properties && "shot_id" in params.properties) data.shot_id = nextShotId(existing);
  return data;
}

/** Widget inputs (edited in the node) and parameters, in display order. */
export function editableFields(type: NodeType): { name: string; label: string; kind: string; options?: unknown[] }[] {
  const fields: { name: string; label: string; kind: string; options?: unknown[] }[] = [];
  for (const port of type.inputs) {
    if (port.widget && port.widget !== "file") {
      const options = (port.constraints?.enum as unknown[] | undefined) ?? undefined;
      fields.push({ name: port.name, label: port.label ?? port.name, kind: port.widget, options });
    }
  }
  const params = type.params as {
    properties?: Record<string, { type?: string; enum?: unknown[]; "x-widget"?: string; title?: string }>;
  };
  for (const [name, schema] of Object.entries(params.properties ?? {})) {
    if (!schema) continue;
    const kind = schema.enum
      ? "select"
      : schema.type === "boolean"
        ? "checkbox"
        : schema.type === "integer" || schema.type === "number"
          ? "number"
          : "text";
    fields.push({ name, label: schema.title ?? name.replaceAll("_", " "), kind, options: schema.enum });
  }
  return fields;
}
