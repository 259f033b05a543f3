import { describe, expect, it } from "vitest";
import type { GraphIssue } from "../types/contracts";
import { placeIssues, worstSeverity } from "./issues";

const issue = (node_id: string | null, severity: GraphIssue["severity"], message = "m"): GraphIssue => ({
  node_id,
  severity,
  code: "missing_required_input",
  message,
});

describe("placeIssues", () => {
  it("puts each issue on its node, errors first, and the rest in the general list", () => {
    const placed = placeIssues(
      {
        valid: false,
        issues: [
          issue("a", "warning", "w"),
          issue("a", "error", "e"),
          issue(null, "error", "graph"),
          issue("gone", "error", "stale"),
          issue("b", "info", "i"),
        ],
      },
      new Set(["a", "b"]),
    );
    expect(placed.byNode.a.map((i) => i.message)).toEqual(["e", "w"]);
    expect(placed.byNode.b.map((i) => i.message)).toEqual(["i"]);
    expect(placed.general.map((i) => i.message)).toEqual(["graph", "stale"]);
  });
});

describe("worstSeverity", () => {
  it("is the most serious one, or null", () => {
    expect(worstSeverity([issue("a", "info"), issue("a", "warning")])).toBe("warning");
    expect(worstSeverity([issue("a", "warning"), issue("a", "error")])).toBe("error");
    expect(worstSeverity([])).toBeNull();
  });
});
