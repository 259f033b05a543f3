// Where each clip, transition and title sits on the record side of the cut (frames at the sequence's rate),
// and what the playhead shows at a frame. A transition of N frames overlaps its two clips around the cut: the
// later clip gives N//2 frames of its head, the earlier the rest of its tail, so the sequence is N frames shorter
// than its clips laid end to end (schemas/sequence.schema.json, Transition; the renderer does the same).
import type { TimelineClip, Title, Transition, TransitionKind } from "./sequence";

export interface PlacedClip {
  index: number;
  entry: TimelineClip;
  /** Record frames [start, end): from the cut before the clip to the cut after it. */
  start: number;
  end: number;
  /** Take frames (at the sequence's rate) shown between the two cuts. */
  sourceIn: number;
  sourceOut: number;
  /** The clip's in- and out-point on its take (its trims; out exclusive) and its length between them. */
  inPoint: number;
  outPoint: number;
  frames: number;
  /** The take's frames, when known. */
  available?: number;
}

export interface PlacedTransition {
  after: number;
  kind: Exclude<TransitionKind, "cut">;
  frames: number;
  /** Record frames [start, end) the transition covers, around the cut at `cut`. */
  start: number;
  cut: number;
  end: number;
}

export interface Layout {
  clips: PlacedClip[];
  transitions: PlacedTransition[];
  /** The cut's length in frames. */
  total: number;
}

/** The clips laid out in order; `available[i]` is clip i's take length in frames (undefined until known: the
 * clip then counts its trims only, so it shows as empty rather than guessed). */
export function layout(
  clips: readonly TimelineClip[],
  transitions: readonly Transition[],
  available: readonly (number | undefined)[],
): Layout {
  const lengths = clips.map((c, i) => Math.max(0, (available[i] ?? 0) - (c.trim_in ?? 0) - (c.trim_out ?? 0)));
  const head = clips.map(() => 0);
  const tail = clips.map(() => 0);
  const kept: Transition[] = [];
  for (const t of transitions) {
    const frames = t.frames ?? 0;
    if (t.kind === "cut" || frames <= 0 || t.after_clip < 0 || t.after_clip >= clips.length - 1) continue;
    tail[t.after_clip] = frames - Math.floor(frames / 2);
    head[t.after_clip + 1] = Math.floor(frames / 2);
    kept.push(t);
  }
  let at = 0;
  const placed = clips.map((entry, index): PlacedClip => {
    const body = Math.max(0, lengths[index] - head[index] - tail[index]);
    const sourceIn = (entry.trim_in ?? 0) + head[index];
    const inPoint = entry.trim_in ?? 0;
    const clip = {
      ...{ index, entry, start: at, end: at + body, sourceIn, sourceOut: sourceIn + body },
      ...{ inPoint, outPoint: inPoint + lengths[index], frames: lengths[index] },
    };
    at += body;
    return available[index] === undefined ? clip : { ...clip, available: available[index] };
  });
  const placedTransitions = kept.map((t): PlacedTransition => {
    const cut = placed[t.after_clip].end;
    return {
      after: t.after_clip,
      kind: t.kind as PlacedTransition["kind"],
      frames: t.frames ?? 0,
      start: cut - tail[t.after_clip],
      cut,
      end: cut + head[t.after_clip + 1],
    };
  });
  return { clips: placed, transitions: placedTransitions, total: at };
}

/** The clip on screen at record frame `frame` and the take frame it shows, or null past the end. */
export function locate(cut: Layout, frame: number): { clip: PlacedClip; sourceFrame: number } | null {
  const clip = cut.clips.find((c) => c.start <= frame && frame < c.end);
  return clip ? { clip, sourceFrame: clip.sourceIn + (frame - clip.start) } : null;
}

/** The transition under the playhead at `frame`, with how far through it is (0–1). */
export function transitionAt(cut: Layout, frame: number): { transition: PlacedTransition; progress: number } | null {
  const transition = cut.transitions.find((t) => t.start <= frame && frame < t.end);
  return transition ? { transition, progress: (frame - transition.start) / (transition.end - transition.start) } : null;
}

/** The titles on screen at record frame `frame`. */
export function titlesAt(titles: readonly Title[], frame: number): Title[] {
  return titles.filter((t) => t.start_frame <= frame && frame < t.start_frame + t.frames);
}

/** The record frame of each cut, for snapping and the keys that jump between edits. */
export function editPoints(cut: Layout): number[] {
  return [0, ...cut.clips.map((c) => c.end)].filter((f, i, all) => all.indexOf(f) === i);
}
