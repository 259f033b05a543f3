// What a node type says about its nodes' data: a new node's data (its widget inputs' defaults and, for a
// shot, the next shot id) and the values a node edits in place, each with the control it needs.
import type { NodeType, SocketType, ValueFormat } from "../types/contracts";
import { nextShotId, type GraphNode } from "./ops";

interface ParamSchema {
  properties?: Record<string, PropertySchema | undefined>;
  $defs?: Record<string, PropertySchema | undefined>;
}

export function defaultData(type: NodeType, existing: readonly GraphNode[]): Record<string, unknown> {
  // Parameter defaults stay implicit (the schema says them; written out they would reach the pipeline).
  const data: Record<string, unknown> = {};
  const params = type.params as ParamSchema;
  for (const port of type.inputs) {
    if (port.widget && port.default !== undefined) data[port.name] = port.default;
  }
  if (params.properties && "shot_id" in params.properties) data.shot_id = nextShotId(existing);
  return data;
}

/** "list": an array or object value, edited elsewhere (a Sequence's timeline); the node only counts it. */
export type FieldKind = "text" | "textarea" | "number" | "slider" | "checkbox" | "select" | "file" | "list";

/** One value a node edits in place: a widget input (an input socket that can also be typed in) or a parameter. */
export interface Field {
  name: string;
  label: string;
  kind: FieldKind;
  options?: unknown[];
  min?: number;
  max?: number;
  step?: number;
  default?: unknown;
  description?: string;
  /** The socket type, for a widget input: connected, it takes its value from the edge instead. */
  socket?: SocketType;
}

interface PropertySchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  "x-widget"?: string;
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

const KINDS: readonly FieldKind[] = ["text", "textarea", "number", "slider", "checkbox", "select", "file"];

/** Widget inputs (edited in the node) and parameters, in display order. */
export function editableFields(type: NodeType): Field[] {
  const fields: Field[] = [];
  for (const port of type.inputs) {
    if (!port.widget) continue;
    const schema: PropertySchema = {
      ...(port.constraints as PropertySchema | undefined),
      type: port.type === "Integer" ? "integer" : undefined,
      default: port.default,
      description: port.description,
    };
    fields.push(field(port.name, port.label ?? port.name, port.widget, schema, port.type));
  }
  const params = type.params as ParamSchema;
  for (const [name, declared] of Object.entries(params.properties ?? {})) {
    if (!declared) continue;
    const schema = resolved(declared, params);
    const hinted = KINDS.find((k) => k === schema["x-widget"]);
    const kind: FieldKind = schema.enum
      ? "select"
      : schema.type === "boolean"
        ? "checkbox"
        : hinted === "slider" && schema.minimum !== undefined && schema.maximum !== undefined
          ? "slider"
          : schema.type === "integer" || schema.type === "number"
            ? "number"
            : schema.type === "array" || schema.type === "object"
              ? "list"
              : (hinted ?? "text");
    fields.push(field(name, schema.title ?? sentence(name), kind, schema));
  }
  return fields;
}

/** A property that points into the schema's own `$defs` (a type shared by several properties) as the definition
 * says it, with what the property says beside its `$ref` taking precedence. The definition's title names the type
 * ("ConformMode"), not the field, so the field keeps its own label. */
function resolved(schema: PropertySchema, root: ParamSchema): PropertySchema {
  const name = schema.$ref?.match(/^#\/\$defs\/([^/]+)$/)?.[1];
  const target = name === undefined ? undefined : root.$defs?.[name];
  if (!target) return schema;
  const { $ref: _ref, ...own } = schema;
  const { title: _type, ...definition } = resolved(target, root);
  return { ...definition, ...own };
}

function field(name: string, label: string, kind: FieldKind, schema: PropertySchema, socket?: SocketType): Field {
  const step =
    schema.type === "integer" ? 1 : kind === "slider" ? niceStep(schema.minimum!, schema.maximum!) : undefined;
  return {
    name,
    label,
    kind,
    ...(schema.enum ? { options: schema.enum } : {}),
    ...(schema.minimum !== undefined ? { min: schema.minimum } : {}),
    ...(schema.maximum !== undefined ? { max: schema.maximum } : {}),
    ...(step !== undefined ? { step } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
    ...(schema.description ? { description: schema.description } : {}),
    ...(socket ? { socket } : {}),
  };
}

/** "output_name" → "Output name". */
function sentence(name: string): string {
  const words = name.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** About twenty stops across a slider's range, on a round number (1, 2 or 5 times a power of ten). */
export function niceStep(min: number, max: number): number {
  const raw = (max - min) / 20;
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw - 1e-12)!;
  return Number(step.toPrecision(6));
}

/** The editable value `name` of a node type, if the type has it. */
export function fieldOf(type: NodeType | undefined, name: string): Field | undefined {
  return type ? editableFields(type).find((f) => f.name === name) : undefined;
}

/** A slider's number as the node type's drawing hints say to show it (schemas/node-type ValueFormat). */
export function formatValue(value: number, format: ValueFormat | undefined): string {
  if (format === "factor") return `${value}×`;
  if (format === "percent") return `${Math.round(value * 100)} %`;
  return String(value);
}
