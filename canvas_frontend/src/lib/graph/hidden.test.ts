import { describe, expect, it } from "vitest";
import { hiddenInputs } from "./hidden";
import type { NodeUi } from "$lib/types/contracts";

const shot: NodeUi = {
  hide_inputs: ["negative_prompt", "audio", "motion", "image"],
  reveal_inputs: { param: "task_type", values: { "image-edit": ["image"], "talking-head": ["image", "audio"] } },
};

describe("hiddenInputs", () => {
  it("hides every listed input when the node's value reveals none", () => {
    expect(hiddenInputs(shot, { task_type: "generate-image" })).toEqual([
      "negative_prompt",
      "audio",
      "motion",
      "image",
    ]);
    expect(hiddenInputs(shot, {})).toEqual(["negative_prompt", "audio", "motion", "image"]);
  });

  it("draws the inputs the node's value asks for", () => {
    expect(hiddenInputs(shot, { task_type: "image-edit" })).toEqual(["negative_prompt", "audio", "motion"]);
    expect(hiddenInputs(shot, { task_type: "talking-head" })).toEqual(["negative_prompt", "motion"]);
  });

  it("hides nothing for a type without hints", () => {
    expect(hiddenInputs({}, { task_type: "image-edit" })).toEqual([]);
  });
});
