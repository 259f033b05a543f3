import { describe, expect, it } from "vitest";
import type { NodeType } from "../types/contracts";
import { licenceBadge, licenceLines } from "./licences";

const node = (licences?: NodeType["licences"]): NodeType => ({
  id: "pipeline:faceswap-reactor",
  version: "1.0.0",
  title: "Face swap",
  category: "Identity",
  origin: "pipeline",
  executor: "pipeline",
  inputs: [],
  outputs: [],
  params: {},
  licences,
});

describe("weights' licences", () => {
  it("lists each model with its licence", () => {
    const type = node([
      { weights: "INSwapper 128", licence: "non-commercial research use only" },
      { weights: "SFW classifier", licence: "Apache-2.0" },
    ]);
    expect(licenceLines(type)).toEqual([
      "INSwapper 128: non-commercial research use only",
      "SFW classifier: Apache-2.0",
    ]);
  });

  it("flags a non-commercial model in the badge, whatever else the node runs", () => {
    const type = node([
      { weights: "SFW classifier", licence: "Apache-2.0" },
      { weights: "INSwapper 128", licence: "Non-commercial research use only" },
    ]);
    expect(licenceBadge(type)).toBe("non-commercial");
  });

  it("names permissive licences once each, and nothing for a node without weights", () => {
    const type = node([
      { weights: "a", licence: "Apache-2.0" },
      { weights: "b", licence: "Apache-2.0" },
      { weights: "c", licence: "MIT" },
    ]);
    expect(licenceBadge(type)).toBe("Apache-2.0, MIT");
    expect(licenceBadge(node())).toBe("");
    expect(licenceLines(undefined)).toEqual([]);
  });
});
