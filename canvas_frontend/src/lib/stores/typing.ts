// Data typed into a node arrives in bursts: each node's changes are merged and sent once typing pauses
// (or at once when asked), as one update instead of one per key.
export const TYPING_PAUSE_MS = 350;

export class TypingBuffer {
  private pending = new Map<string, Record<string, unknown>>();
  private timers = new Map<string, ReturnType<typeof setTimeout>>();

  /** `send` delivers a node's merged changes; it resolves when they are acknowledged. */
  constructor(private readonly send: (nodeId: string, data: Record<string, unknown>) => Promise<unknown>) {}

  /** Adds `patch` to the node's pending changes, sent after a pause in typing (or now, `debounce` false). */
  add(nodeId: string, patch: Record<string, unknown>, debounce = true): void {
    this.pending.set(nodeId, { ...(this.pending.get(nodeId) ?? {}), ...patch });
    clearTimeout(this.timers.get(nodeId));
    if (debounce)
      this.timers.set(
        nodeId,
        setTimeout(() => void this.flush(nodeId), TYPING_PAUSE_MS),
      );
    else void this.flush(nodeId);
  }

  /** Sends the node's pending changes now; resolves when they are acknowledged (at once when none). */
  flush(nodeId: string): Promise<unknown> {
    clearTimeout(this.timers.get(nodeId));
    this.timers.delete(nodeId);
    const data = this.pending.get(nodeId);
    if (!data) return Promise.resolve();
    this.pending.delete(nodeId);
    return this.send(nodeId, data);
  }

  flushAll(): void {
    for (const nodeId of [...this.pending.keys()]) void this.flush(nodeId);
  }

  /** Forgets a node's pending changes (the node is gone). */
  drop(nodeId: string): void {
    clearTimeout(this.timers.get(nodeId));
    this.timers.delete(nodeId);
    this.pending.delete(nodeId);
  }

  /** Forgets every pending change (the server's state supersedes them), or stops the timers on closing. */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }
}
