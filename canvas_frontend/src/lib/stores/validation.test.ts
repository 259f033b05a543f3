import { describe, expect, it, vi } from "vitest";
import type { ValidationReport } from "../types/contracts";
import { GraphValidation } from "./validation.svelte";

describe("GraphValidation", () => {
  it("puts each issue on its node, and those of the whole graph or of a node gone meanwhile apart", async () => {
    const report: ValidationReport = {
      valid: false,
      issues: [
        { node_id: "a", severity: "error", code: "missing_required_input", message: "a needs text" },
        { node_id: "gone", severity: "error", code: "missing_required_input", message: "gone needs text" },
        { node_id: null, severity: "warning", code: "graph_schema", message: "whole graph" },
      ],
    };
    const validation = new GraphValidation(
      async () => report,
      () => new Set(["a", "b"]),
    );
    await validation.run();
    expect(Object.keys(validation.issues)).toEqual(["a"]);
    expect(validation.graphIssues.map((i) => i.message).sort()).toEqual(["gone needs text", "whole graph"]);
  });

  it("does nothing where the server cannot be asked", async () => {
    const validation = new GraphValidation(undefined, () => new Set());
    validation.request();
    await validation.run();
    expect(validation.issues).toEqual({});
  });

  it("asks once a burst of changes settles, not after it is stopped", async () => {
    vi.useFakeTimers();
    const validate = vi.fn(async (): Promise<ValidationReport> => ({ valid: true, issues: [] }));
    const validation = new GraphValidation(validate, () => new Set());
    validation.request();
    validation.request();
    await vi.advanceTimersByTimeAsync(600);
    expect(validate).toHaveBeenCalledTimes(1);
    validation.request();
    validation.stop();
    await vi.advanceTimersByTimeAsync(1200);
    expect(validate).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});
