// The tasks panel's state: one page of tasks (this project's, or the studio's for administrators), the
// project's queue (paused or not), and the actions on them. Progress arrives live over the project socket;
// a task's start or end there asks for the list again (debounced), so new and finished tasks appear.
import type { QueuePublic, TaskPublic } from "../api";
import type { ServerTaskProgress } from "../types/contracts";
import { DebouncedJob } from "./debounced";

export type TaskScope = "project" | "studio";
export type TaskAction = "cancel" | "retry" | "moveToFront";

/** What the panel asks the server (lib/api in the app, fakes in tests). */
export interface TaskServices {
  list(scope: TaskScope): Promise<TaskPublic[]>;
  queue(): Promise<QueuePublic>;
  act(action: TaskAction, taskId: string): Promise<unknown>;
  pause(): Promise<QueuePublic>;
  resume(): Promise<QueuePublic>;
}

/** How long the list waits after a task event before it asks again: a burst of events is one request. */
export const TASKS_REFRESH_MS = 300;

export class TaskBoard {
  tasks = $state<TaskPublic[]>([]);
  queue = $state<QueuePublic | null>(null);
  scope = $state<TaskScope>("project");
  error = $state("");
  loading = $state(false);
  private open = false;
  private readonly refreshing = new DebouncedJob(() => this.refresh(), TASKS_REFRESH_MS);

  constructor(private readonly services: TaskServices) {}

  /** The panel opened (refreshes now, and on task events from then on) or closed. */
  async show(open: boolean): Promise<void> {
    this.open = open;
    if (open) await this.refresh();
  }

  async setScope(scope: TaskScope): Promise<void> {
    this.scope = scope;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      const [tasks, queue] = await Promise.all([this.services.list(this.scope), this.services.queue()]);
      this.tasks = tasks;
      this.queue = queue;
      this.error = "";
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    } finally {
      this.loading = false;
    }
  }

  /** A task started, finished or changed state on the socket: the list is asked for again while it shows. */
  changed(): void {
    if (this.open) this.refreshing.request();
  }

  /** Live progress of a listed task (no request). */
  progressed({ task_id, progress }: ServerTaskProgress): void {
    const task = this.tasks.find((t) => t.task_id === task_id);
    if (task) Object.assign(task, { progress, state: "running" });
  }

  act(action: TaskAction, taskId: string): Promise<void> {
    return this.run(() => this.services.act(action, taskId));
  }

  pause(): Promise<void> {
    return this.run(() => this.services.pause());
  }

  resume(): Promise<void> {
    return this.run(() => this.services.resume());
  }

  stop(): void {
    this.refreshing.stop();
  }

  /** An action, then the list as it now is; a refusal is shown as the server's sentence. */
  private async run(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return;
    }
    await this.refresh();
  }
}
