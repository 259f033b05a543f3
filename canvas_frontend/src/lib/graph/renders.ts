// How a render node's final renders are named in its list (the server lists them newest first).
import type { RenderSummary } from "../types/contracts";

/** "v003 · 14:05 · 2.0 s · 1920×1080 · 12 clips, 2 transitions, 1 title": its version, when it was made (local
 * time), how long it runs and what it was made from. */
export function renderLabel(render: RenderSummary, locale?: string): string {
  const version = /_(v\d{3,})\.[a-z0-9]+$/.exec(render.path)?.[1] ?? render.path.split("/").at(-1)!;
  const made = new Date(render.created_at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" });
  const { clips, transitions, titles, width, height } = render.settings;
  const counted = [count(clips, "clip"), count(transitions, "transition"), count(titles, "title")].filter(Boolean);
  return [version, made, `${render.duration_s.toFixed(1)} s`, `${width}×${height}`, counted.join(", ")].join(" · ");
}

function count(n: number, noun: string): string {
  return n === 0 && noun !== "clip" ? "" : `${n} ${noun}${n === 1 ? "" : "s"}`;
}
