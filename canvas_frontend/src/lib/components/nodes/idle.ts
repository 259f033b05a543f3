// Work the first render can do without: run once the page has been idle a moment after it.

/** Calls `run` at the first idle moment `afterMs` from now; the returned function cancels it. */
export function whenIdle(run: () => void, afterMs: number): () => void {
  let idle: number | undefined;
  const timer = setTimeout(() => (idle = requestIdleCallback(run)), afterMs);
  return () => {
    clearTimeout(timer);
    if (idle !== undefined) cancelIdleCallback(idle);
  };
}
