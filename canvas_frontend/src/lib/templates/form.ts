// The template import dialog's state, framework-free: rows made from the server's inspection of a dropped
// workflow, the problems that keep it from being saved, and the request it becomes.
import type { InputCandidate, OutputCandidate, TemplateCreate, WorkflowInspection } from "../api";
import type { NodeInput, SocketType } from "../types/contracts";

export const TEMPLATE_ID = /^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$/;
export const PORT_NAME = /^[a-z][a-z0-9_]{0,47}$/;
/** What a setting (param) can hold; media can only be an input of the node. */
export const PARAM_TYPES: SocketType[] = ["String", "Integer", "Float", "Boolean"];
export const MEDIA_TYPES: SocketType[] = ["Image", "Mask", "ControlMap", "Video", "Audio"];

export interface InputRow extends InputCandidate {
  expose: boolean;
}
export interface OutputRow extends OutputCandidate {
  keep: boolean;
}
export interface ImportForm {
  id: string;
  title: string;
  target: "project" | "library";
  inputs: InputRow[];
  outputs: OutputRow[];
  seeds: NodeInput[];
  /** Whether the node's seed drives the workflow's seed inputs (a take can then be made again). */
  useSeed: boolean;
}

export function initialForm(inspection: WorkflowInspection): ImportForm {
  return {
    id: inspection.id,
    title: inspection.title,
    target: "project",
    // The suggested ones (prompts, media files) first: what most imports expose is in view without scrolling.
    inputs: [...inspection.inputs]
      .sort((a, b) => Number(b.suggested) - Number(a.suggested))
      .map((candidate) => ({ ...candidate, expose: candidate.suggested })),
    outputs: inspection.outputs.map((candidate) => ({ ...candidate, keep: true })),
    seeds: inspection.seeds,
    useSeed: inspection.seeds.length > 0,
  };
}

/** A short rendering of a workflow value for the dialog's table. */
export function preview(value: unknown, max = 40): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Everything that keeps the form from being saved, as sentences; empty when it can be. */
export function formProblems(form: ImportForm): string[] {
  const problems: string[] = [];
  if (!TEMPLATE_ID.test(form.id))
    problems.push(`The id '${form.id}' must be 3-64 lower-case letters, digits, dots or dashes (e.g. dusk-repaint).`);
  if (!form.title.trim()) problems.push("Give the template a title: it is the node's name in the palette.");
  const exposed = form.inputs.filter((row) => row.expose);
  const seen = new Map<string, InputRow>();
  for (const row of exposed) {
    const where = `${row.title} · ${row.input}`;
    if (!PORT_NAME.test(row.name)) {
      problems.push(`The name '${row.name}' of ${where} must start with a letter: a-z, 0-9 and _ only.`);
    } else if (row.name === "seed") {
      problems.push(`'seed' is the node's own seed; name ${where} otherwise.`);
    } else if (seen.has(row.name) && seen.get(row.name)!.expose_as !== row.expose_as) {
      problems.push(`'${row.name}' names both an input and a setting; give ${where} another name.`);
    }
    if (row.expose_as === "param" && !PARAM_TYPES.includes(row.type))
      problems.push(`${where} is a ${row.type}: it can only be an input of the node.`);
    seen.set(row.name, seen.get(row.name) ?? row);
  }
  const kept = form.outputs.filter((row) => row.keep);
  if (kept.length === 0) problems.push("Keep at least one output: the file the node's takes are made of.");
  const outputNames = kept.map((row) => row.name);
  for (const name of new Set(outputNames)) {
    if (!PORT_NAME.test(name)) problems.push(`The output name '${name}' must start with a letter: a-z, 0-9 and _.`);
    else if (outputNames.filter((n) => n === name).length > 1) problems.push(`Two outputs are named '${name}'.`);
  }
  return problems;
}

/** The request that saves the form (POST …/templates). */
export function toCreate(form: ImportForm, workflow: Record<string, unknown>): TemplateCreate {
  return {
    id: form.id,
    title: form.title.trim(),
    workflow,
    expose: form.inputs
      .filter((row) => row.expose)
      .map(({ node, input, name, expose_as, type }) => ({ node, input, name, expose_as, type })),
    outputs: form.outputs.filter((row) => row.keep).map(({ node, name, type }) => ({ node, name, type })),
    seeds: form.useSeed ? form.seeds : [],
    target: form.target,
  };
}
