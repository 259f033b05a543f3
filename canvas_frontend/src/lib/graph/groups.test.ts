import { describe, expect, it } from "vitest";
import { dropMoves, groupAt, type Dropped } from "./groups";

const scene = { id: "g", x: 100, y: 100, width: 600, height: 400 };
const inner = { id: "h", x: 150, y: 150, width: 200, height: 200 };
const node = (over: Partial<Dropped>): Dropped => ({
  id: "n",
  x: 0,
  y: 0,
  width: 100,
  height: 50,
  relative: { x: 0, y: 0 },
  isGroup: false,
  ...over,
});

describe("groups", () => {
  it("finds the last drawn group holding a point", () => {
    expect(groupAt([scene, inner], { x: 200, y: 200 })?.id).toBe("h");
    expect(groupAt([scene, inner], { x: 600, y: 450 })?.id).toBe("g");
    expect(groupAt([scene, inner], { x: 50, y: 50 })).toBeUndefined();
  });

  it("puts a node whose centre lands in a scene into it, relative to the scene", () => {
    const moves = dropMoves([node({ x: 400, y: 300, relative: { x: 400, y: 300 } })], [scene]);
    expect(moves).toEqual([{ node_id: "n", position: { x: 300, y: 200 }, parentId: "g" }]);
  });

  it("takes a node dragged out of its scene out of it, at its canvas position", () => {
    const moves = dropMoves([node({ x: 900.4, y: 80, parentId: "g", relative: { x: 800.4, y: -20 } })], [scene]);
    expect(moves).toEqual([{ node_id: "n", position: { x: 900, y: 80 }, parentId: null }]);
  });

  it("only moves a node that stays in its scene, a group, or a node dragged along with its group", () => {
    const moves = dropMoves(
      [
        node({ id: "a", x: 200, y: 200, parentId: "g", relative: { x: 100, y: 100 } }),
        node({ id: "g2", x: 150, y: 150, isGroup: true, relative: { x: 150, y: 150 } }),
        node({ id: "c", x: 2000, y: 2000, parentId: "g2", relative: { x: 10, y: 10 } }),
      ],
      [scene],
    );
    expect(moves).toEqual([
      { node_id: "a", position: { x: 100, y: 100 } },
      { node_id: "g2", position: { x: 150, y: 150 } },
      { node_id: "c", position: { x: 10, y: 10 } },
    ]);
  });
});
