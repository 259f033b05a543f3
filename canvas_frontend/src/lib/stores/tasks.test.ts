import { afterEach, describe, expect, it, vi } from "vitest";
import type { QueuePublic, TaskPublic } from "../api";
import { TASKS_REFRESH_MS, TaskBoard, type TaskAction, type TaskScope, type TaskServices } from "./tasks.svelte";

const task = (id: string, state: TaskPublic["state"], progress = 0): TaskPublic =>
  ({ task_id: id, state, progress, project_id: "p", node_id: "shot", queue: "cpu" }) as TaskPublic;
const queue = (paused_by: string | null = null): QueuePublic => ({
  project_id: "p",
  paused: paused_by !== null,
  paused_by,
  queued: 1,
  running: 1,
});

function services(lists: Record<TaskScope, TaskPublic[]>) {
  const calls: string[] = [];
  let paused: string | null = null;
  const fake: TaskServices = {
    list: async (scope) => (calls.push(`list:${scope}`), lists[scope]),
    queue: async () => queue(paused),
    act: async (action: TaskAction, id: string) => {
      calls.push(`${action}:${id}`);
      if (action === "retry") throw new Error("Task 't2' is running; only failed or cancelled tasks can be retried.");
    },
    pause: async () => ((paused = "ed"), queue(paused)),
    resume: async () => ((paused = null), queue(paused)),
  };
  return { fake, calls };
}

afterEach(() => vi.useRealTimers());

describe("TaskBoard", () => {
  it("lists the project's or the studio's tasks and follows progress without asking again", async () => {
    const { fake, calls } = services({
      project: [task("t1", "queued")],
      studio: [task("t1", "queued"), task("o", "queued")],
    });
    const board = new TaskBoard(fake);
    await board.show(true);
    expect(board.tasks.map((t) => t.task_id)).toEqual(["t1"]);
    board.progressed({ task_id: "t1", node_id: "shot", progress: 40, step: "" });
    expect([board.tasks[0].state, board.tasks[0].progress]).toEqual(["running", 40]);
    await board.setScope("studio");
    expect(board.tasks.map((t) => t.task_id)).toEqual(["t1", "o"]);
    expect(calls).toEqual(["list:project", "list:studio"]);
  });

  it("acts, then shows the list as it now is; a refusal is the server's sentence", async () => {
    const { fake, calls } = services({ project: [task("t2", "running")], studio: [] });
    const board = new TaskBoard(fake);
    await board.act("moveToFront", "t2");
    expect(calls).toEqual(["moveToFront:t2", "list:project"]);
    await board.act("retry", "t2");
    expect(board.error).toBe("Task 't2' is running; only failed or cancelled tasks can be retried.");
    await board.pause();
    expect(board.queue?.paused_by).toBe("ed");
    expect(board.error).toBe("");
    await board.resume();
    expect(board.queue?.paused).toBe(false);
  });

  it("asks again after task events only while the panel shows, once per burst", async () => {
    vi.useFakeTimers();
    const { fake, calls } = services({ project: [], studio: [] });
    const board = new TaskBoard(fake);
    board.changed();
    await vi.advanceTimersByTimeAsync(TASKS_REFRESH_MS * 2);
    expect(calls).toEqual([]);
    await board.show(true);
    board.changed();
    board.changed();
    board.changed();
    await vi.advanceTimersByTimeAsync(TASKS_REFRESH_MS * 2);
    expect(calls).toEqual(["list:project", "list:project"]);
    board.stop();
  });
});
