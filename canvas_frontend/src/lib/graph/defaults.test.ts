import { describe, expect, it } from "vitest";
import type { NodeType } from "../types/contracts";
import { defaultData, editableFields, formatValue, niceStep } from "./defaults";

const audio: NodeType = {
  id: "AudioNode",
  version: "1.0.0",
  title: "Audio",
  category: "Audio",
  origin: "builtin",
  executor: "pipeline",
  inputs: [
    { name: "source_audio", type: "Audio", label: "Reference voice", widget: "file" },
    {
      name: "text",
      type: "String",
      label: "Text",
      required: true,
      widget: "textarea",
      constraints: { maxLength: 5000 },
    },
    { name: "clip", type: "Video" },
  ],
  outputs: [{ name: "audio", type: "Audio" }],
  params: {
    type: "object",
    properties: {
      seed: { type: "integer", minimum: 0, maximum: 4294967295 },
      speed: { type: "number", minimum: 0.5, maximum: 2.0, default: 1.0, "x-widget": "slider" },
      mode: { type: "string", enum: ["pose", "depth"], default: "pose", "x-widget": "select" },
      pinned_version: { type: "string", title: "Version" },
      timeline: { type: "array", items: { type: "object" } },
    },
  },
};

describe("editableFields", () => {
  it("lists widget inputs (file inputs too) then parameters, each with the control it needs", () => {
    expect(editableFields(audio)).toEqual([
      { name: "source_audio", label: "Reference voice", kind: "file", socket: "Audio" },
      { name: "text", label: "Text", kind: "textarea", socket: "String" },
      { name: "seed", label: "Seed", kind: "number", min: 0, max: 4294967295, step: 1 },
      { name: "speed", label: "Speed", kind: "slider", min: 0.5, max: 2, step: 0.1, default: 1 },
      { name: "mode", label: "Mode", kind: "select", options: ["pose", "depth"], default: "pose" },
      { name: "pinned_version", label: "Version", kind: "text" },
      { name: "timeline", label: "Timeline", kind: "list" },
    ]);
  });

  it("resolves a parameter declared by a $ref into the schema's $defs (the Sequence's conform enum) into a choice", () => {
    const sequence: NodeType = {
      ...audio,
      inputs: [],
      params: {
        type: "object",
        properties: {
          conform: { $ref: "#/$defs/ConformMode" },
          fps: { $ref: "#/$defs/Rate", default: 24 },
          clip: { $ref: "#/$defs/Missing" },
        },
        $defs: {
          ConformMode: { title: "ConformMode", description: "How to conform.", enum: ["duplicate_drop", "blend"] },
          Rate: { $ref: "#/$defs/Whole", description: "The rate." },
          Whole: { type: "integer", minimum: 1, maximum: 240 },
        },
      },
    };
    expect(editableFields(sequence)).toEqual([
      {
        name: "conform",
        label: "Conform",
        kind: "select",
        options: ["duplicate_drop", "blend"],
        description: "How to conform.",
      },
      { name: "fps", label: "Fps", kind: "number", min: 1, max: 240, step: 1, default: 24, description: "The rate." },
      { name: "clip", label: "Clip", kind: "text" },
    ]);
  });

  it("leaves defaults of parameters implicit in a new node's data", () => {
    expect(defaultData(audio, [])).toEqual({});
  });
});

describe("niceStep", () => {
  it("gives about twenty round stops", () => {
    expect(niceStep(0, 1)).toBe(0.05);
    expect(niceStep(1, 8)).toBe(0.5);
    expect(niceStep(0, 100)).toBe(5);
    expect(niceStep(3, 3)).toBe(1);
  });
});

describe("formatValue", () => {
  it("shows a slider's number as the node type's hint says", () => {
    expect(formatValue(2, "factor")).toBe("2×");
    expect(formatValue(0.456, "percent")).toBe("46 %");
    expect(formatValue(0.5, undefined)).toBe("0.5");
  });
});
