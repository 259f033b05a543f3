import { describe, expect, it } from "vitest";
import type { NodeType } from "../types/contracts";
import { connectionProblem, isCompatible } from "./compat";

const type = (id: string, inputs: NodeType["inputs"], outputs: NodeType["outputs"]): NodeType => ({
  id,
  version: "1.0.0",
  title: id,
  category: "Source",
  origin: "builtin",
  executor: "none",
  inputs,
  outputs,
  params: {},
});

const types = new Map<string, NodeType>([
  ["Pipe", type("Pipe", [], [{ name: "pipeline", type: "PipelineReference" }])],
  ["Mask", type("Mask", [], [{ name: "mask", type: "Mask" }])],
  [
    "Shot",
    type(
      "Shot",
      [
        { name: "pipeline", type: "PipelineReference" },
        { name: "image", type: "Image" },
        { name: "prompt", type: "String" },
      ],
      [{ name: "image", type: "Image" }],
    ),
  ],
  ["Seq", type("Seq", [{ name: "clips", type: "Image", multiple: true }], [])],
]);
const nodes = [
  { id: "p", type: "Pipe" },
  { id: "p2", type: "Pipe" },
  { id: "m", type: "Mask" },
  { id: "s", type: "Shot" },
  { id: "s2", type: "Shot" },
  { id: "q", type: "Seq" },
];

describe("isCompatible", () => {
  it("accepts the same type and the schema's implicit conversions only", () => {
    expect(isCompatible("Image", "Image")).toBe(true);
    expect(isCompatible("Mask", "Image")).toBe(true);
    expect(isCompatible("ControlMap", "Image")).toBe(true);
    expect(isCompatible("Image", "Mask")).toBe(false);
    expect(isCompatible("PipelineReference", "String")).toBe(false);
  });
});

describe("connectionProblem", () => {
  const link = (source: string, sourceHandle: string, target: string, targetHandle: string) => ({
    source,
    sourceHandle,
    target,
    targetHandle,
  });

  it("allows matching sockets", () => {
    expect(connectionProblem(link("p", "pipeline", "s", "pipeline"), nodes, [], types)).toBeNull();
    expect(connectionProblem(link("m", "mask", "s", "image"), nodes, [], types)).toBeNull();
  });

  it("refuses mismatched types, self links and unknown sockets", () => {
    expect(connectionProblem(link("p", "pipeline", "s", "prompt"), nodes, [], types)).toMatch(/cannot feed/);
    expect(connectionProblem(link("s", "image", "s", "image"), nodes, [], types)).toMatch(/itself/);
    expect(connectionProblem(link("p", "nope", "s", "pipeline"), nodes, [], types)).toMatch(/Unknown socket/);
  });

  it("allows one link into a single input, many into a multiple one", () => {
    const edges = [{ id: "e", ...link("p", "pipeline", "s", "pipeline") }];
    expect(connectionProblem(link("p2", "pipeline", "s", "pipeline"), nodes, edges, types)).toMatch(/one connection/);
    expect(connectionProblem(link("p", "pipeline", "s", "pipeline"), nodes, edges, types)).toMatch(/already/);
    const clips = [{ id: "c", ...link("s", "image", "q", "clips") }];
    expect(connectionProblem(link("s2", "image", "q", "clips"), nodes, clips, types)).toBeNull();
  });
});
