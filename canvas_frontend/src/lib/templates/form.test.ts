import { describe, expect, it } from "vitest";
import type { WorkflowInspection } from "../api";
import { formProblems, initialForm, preview, toCreate } from "./form";

const inspection: WorkflowInspection = {
  id: "dusk-repaint",
  title: "Dusk repaint",
  workflow: { "3": { class_type: "KSampler", inputs: {} } },
  node_classes: ["KSampler", "LoadImage", "SaveImage"],
  inputs: [
    { node: "6", input: "text", class_type: "CLIPTextEncode", title: "Prompt", value: "dusk", type: "String",
      name: "prompt", expose_as: "socket", suggested: true },
    { node: "3", input: "steps", class_type: "KSampler", title: "KSampler", value: 20, type: "Integer",
      name: "steps", expose_as: "param", suggested: false },
    { node: "10", input: "image", class_type: "LoadImage", title: "Load Image", value: "example.png",
      type: "Image", name: "image", expose_as: "socket", suggested: true },
  ],
  outputs: [{ node: "9", class_type: "SaveImage", title: "Save Image", type: "Image", name: "image" }],
  seeds: [{ node: "3", input: "seed" }],
}; // prettier-ignore

describe("the template import form", () => {
  it("starts from the server's suggestions: prompts and media exposed, every output kept, the seed used", () => {
    const form = initialForm(inspection);
    expect(form.inputs.map((r) => [r.name, r.expose])).toEqual([
      ["prompt", true],
      ["image", true],
      ["steps", false],
    ]);
    expect(form.outputs.map((r) => r.keep)).toEqual([true]);
    expect(form.useSeed).toBe(true);
    expect(form.target).toBe("project");
    expect(formProblems(form)).toEqual([]);
  });

  it("becomes the save request with only the chosen inputs and outputs", () => {
    const form = initialForm(inspection);
    form.inputs[2].expose = true;
    form.inputs[2].name = "sampling_steps";
    form.useSeed = false;
    expect(toCreate(form, inspection.workflow)).toEqual({
      id: "dusk-repaint",
      title: "Dusk repaint",
      workflow: inspection.workflow,
      expose: [
        { node: "6", input: "text", name: "prompt", expose_as: "socket", type: "String" },
        { node: "10", input: "image", name: "image", expose_as: "socket", type: "Image" },
        { node: "3", input: "steps", name: "sampling_steps", expose_as: "param", type: "Integer" },
      ],
      outputs: [{ node: "9", name: "image", type: "Image" }],
      seeds: [],
      target: "project",
    });
  });

  it("says what keeps it from being saved", () => {
    const form = initialForm(inspection);
    form.id = "Dusk Repaint";
    form.title = " ";
    form.inputs[0].name = "2nd";
    form.inputs[2].expose = true;
    form.inputs[2].name = "image";
    form.inputs[2].expose_as = "param";
    form.inputs[1].expose_as = "param";
    form.outputs[0].keep = false;
    expect(formProblems(form)).toEqual([
      "The id 'Dusk Repaint' must be 3-64 lower-case letters, digits, dots or dashes (e.g. dusk-repaint).",
      "Give the template a title: it is the node's name in the palette.",
      "The name '2nd' of Prompt · text must start with a letter: a-z, 0-9 and _ only.",
      "Load Image · image is a Image: it can only be an input of the node.",
      "Keep at least one output: the file the node's takes are made of.",
    ]);
    form.inputs[1].expose_as = "socket";
    expect(formProblems(form)).toContain(
      "'image' names both an input and a setting; give KSampler · steps another name.",
    );
    form.inputs[0].name = "seed";
    expect(formProblems(form)).toContain("'seed' is the node's own seed; name Prompt · text otherwise.");
  });

  it("shortens long values", () => {
    expect(preview("a".repeat(50), 10)).toBe("aaaaaaaaa…");
    expect(preview(7.5)).toBe("7.5");
  });
});
