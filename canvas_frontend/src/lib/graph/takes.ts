// Which of a node's takes is shown and active, which two a compare view starts with, and how a take is named.

export interface TakeRef {
  path: string;
  take: number;
  url: string;
  thumbnail_url: string | null;
  pipeline?: string;
  created_at?: string;
}

/** The take the node shows, which is the take it contributes to what it feeds: its chosen take
 * (data.active_take), else its newest. The server applies the same rule (server/takes/store.py,
 * contributed_take); a chosen take that is not among its takes shows nothing, as the server uses no other. */
export function shownTake<T extends TakeRef>(takes: readonly T[], activePath: unknown): T | undefined {
  if (typeof activePath === "string" && activePath) return takes.find((t) => t.path === activePath);
  return takes.at(-1);
}

/** The pair a compare view opens with: the shown take against the newest other one (or the one before it). */
export function comparePair(takes: readonly TakeRef[], shownPath: string | undefined): [string, string] | null {
  if (takes.length < 2) return null;
  const a = takes.find((t) => t.path === shownPath) ?? takes.at(-1)!;
  const others = takes.filter((t) => t.path !== a.path);
  const b = others.at(-1)!;
  return b.take > a.take ? [a.path, b.path] : [b.path, a.path];
}

export function takeNumber(take: Pick<TakeRef, "take">): string {
  return `Take ${String(take.take).padStart(2, "0")}`;
}

/** "Take 03 · cpu-storyboard · 14:03:09" (local time; the date too when it was not today; the parts the
 * server did not send are left out). */
export function takeLabel(take: TakeRef, now: Date = new Date()): string {
  return [takeNumber(take), take.pipeline, take.created_at ? localTime(take.created_at, now) : undefined]
    .filter(Boolean)
    .join(" · ");
}

function localTime(iso: string, now: Date): string | undefined {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  const pad = (n: number) => String(n).padStart(2, "0");
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return day === today ? `${time}:${pad(date.getSeconds())}` : `${day} ${time}`;
}
