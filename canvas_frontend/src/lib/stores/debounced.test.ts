import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DebouncedJob } from "./debounced";

describe("DebouncedJob", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs once, delayMs after the last of a burst of requests", async () => {
    const job = vi.fn(async () => undefined);
    const debounced = new DebouncedJob(job, 600);
    debounced.request();
    await vi.advanceTimersByTimeAsync(400);
    debounced.request();
    await vi.advanceTimersByTimeAsync(599);
    expect(job).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(job).toHaveBeenCalledTimes(1);
  });

  it("never runs twice at once: a request during a run reruns it after, once", async () => {
    let finish!: () => void;
    let running = 0;
    let most = 0;
    const job = vi.fn(async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => (finish = resolve));
      running -= 1;
    });
    const debounced = new DebouncedJob(job, 100);
    debounced.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(job).toHaveBeenCalledTimes(1);
    debounced.request();
    await vi.advanceTimersByTimeAsync(100);
    debounced.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(job).toHaveBeenCalledTimes(1);
    finish();
    await vi.advanceTimersByTimeAsync(0);
    expect(job).toHaveBeenCalledTimes(2);
    finish();
    await vi.advanceTimersByTimeAsync(1000);
    expect(job).toHaveBeenCalledTimes(2);
    expect(most).toBe(1);
  });

  it("keeps going after a failed run, and stops for good", async () => {
    const job = vi.fn(async () => {
      throw new Error("offline");
    });
    const debounced = new DebouncedJob(job, 10);
    debounced.request();
    await vi.advanceTimersByTimeAsync(10);
    debounced.request();
    await vi.advanceTimersByTimeAsync(10);
    expect(job).toHaveBeenCalledTimes(2);
    debounced.request();
    debounced.stop();
    debounced.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(job).toHaveBeenCalledTimes(2);
  });
});
