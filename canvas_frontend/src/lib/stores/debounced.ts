// A job run once requests have been quiet for a while, never twice at the same time: a request made while
// it runs makes it run again once it is done (e.g. validating the graph after edits settle).

export class DebouncedJob {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private rerun = false;
  private stopped = false;

  constructor(
    private readonly job: () => Promise<unknown>,
    private readonly delayMs: number,
  ) {}

  /** Ask for a run `delayMs` after the last request. */
  request(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fire(), this.delayMs);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.running = true;
    try {
      await this.job();
    } catch {
      /* the job reports its own failures; the next request tries again */
    } finally {
      this.running = false;
    }
    if (this.rerun && !this.stopped) {
      this.rerun = false;
      if (this.timer === undefined) void this.fire();
    }
  }
}
