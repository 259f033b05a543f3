import { describe, expect, it } from "vitest";
import type { Ack } from "../realtime";
import { fakeServer, flush } from "./fixtures";
import { Outbox } from "./outbox";

function setup(answer?: () => Ack) {
  const { connection, sent } = fakeServer(answer);
  let version = 1;
  const refusals: string[] = [];
  const outbox = new Outbox({
    connection: () => connection,
    version: () => version,
    acknowledged: (v) => (version = Math.max(version, v)),
    refused: (message) => refusals.push(message),
  });
  return { outbox, sent, refusals, version: () => version };
}

describe("Outbox", () => {
  it("sends in order, each edit with the version the one before it brought", async () => {
    const { outbox, sent, version } = setup();
    void outbox.send("client:add_node", { node: "a" });
    void outbox.send("client:remove_nodes", { node_ids: ["a"] });
    await outbox.settled();
    await flush();
    expect(sent).toEqual([
      ["client:add_node", { node: "a", version: 1 }],
      ["client:remove_nodes", { node_ids: ["a"], version: 2 }],
    ]);
    expect(version()).toBe(3);
  });

  it("says why an edit was refused, but leaves a version conflict to server:conflict", async () => {
    let answer: Ack = { ok: false, error: { code: "graph_edit", message: "There is no node 'x'." } };
    const { outbox, refusals } = setup(() => answer);
    expect(await outbox.send("client:remove_nodes", { node_ids: ["x"] }, "Delete failed.")).toMatchObject({
      ok: false,
    });
    answer = { ok: false, error: { code: "version_conflict", message: "Stale." }, version: 7 };
    await outbox.send("client:remove_nodes", { node_ids: ["x"] });
    expect(refusals).toEqual(["Delete failed. There is no node 'x'."]);
  });

  it("sends nothing without a connection", async () => {
    const outbox = new Outbox({
      connection: () => null,
      version: () => 1,
      acknowledged: () => undefined,
      refused: () => undefined,
    });
    expect(await outbox.send("client:save", {})).toBeNull();
  });
});
