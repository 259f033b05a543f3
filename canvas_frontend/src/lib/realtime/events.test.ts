import { describe, expect, it, vi } from "vitest";
import { routeServerEvent, type ServerEventHandlers } from "./events";

function handlers(): ServerEventHandlers {
  return {
    "server:full_sync": vi.fn(),
    "server:graph_patch": vi.fn(),
    "server:graph_patches": vi.fn(),
    "server:conflict": vi.fn(),
    "server:error": vi.fn(),
    "server:notification": "ignore",
    "server:node_state_updated": vi.fn(),
    "server:task_progress": vi.fn(),
    "server:task_success": vi.fn(),
    "server:task_failed": vi.fn(),
    "server:takes_updated": vi.fn(),
    "server:renders_updated": vi.fn(),
  };
}

describe("routeServerEvent", () => {
  it("hands the payload to the event's handler only", () => {
    const map = handlers();
    routeServerEvent(map, "server:conflict", { version: 4 });
    expect(map["server:conflict"]).toHaveBeenCalledWith({ version: 4 });
    expect(map["server:error"]).not.toHaveBeenCalled();
  });

  it("lets an ignored or unknown event go, inherited object keys included", () => {
    const map = handlers();
    expect(() => routeServerEvent(map, "server:notification", { level: "info" })).not.toThrow();
    expect(() => routeServerEvent(map, "server:from_a_newer_server", {})).not.toThrow();
    expect(() => routeServerEvent(map, "constructor", {})).not.toThrow();
  });
});

// svelte-check proves the map complete: leaving an event out does not compile.
// @ts-expect-error every server event of schemas/ws-events.schema.json needs a handler or "ignore"
const incomplete: ServerEventHandlers = { "server:full_sync": "ignore" };
void incomplete;
