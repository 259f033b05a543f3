// Where each clip, transition and title sits on the record side of the cut (frames at the sequence's rate),
// and what the playhead shows at a frame. Clips lie end to end; a transition of N frames is centred on its cut
// and uses the clips' handles (media beyond their trims), so it does not change the sequence's length
// (schemas/sequence.schema.json, Transition).
import type { TimelineClip, Title, Transition, TransitionKind } from "./sequence";

export interface PlacedClip {
  index: number;
  entry: TimelineClip;
  /** Record frames [start, end): from the cut before the clip to the cut after it. */
  start: number;
  end: number;
  /** Take frames (at the sequence's rate) between its trims. */
  sourceIn: number;
  sourceOut: number;
  /** The take's frames, when known. */
  available?: number;
}

export interface PlacedTransition {
  after: number;
  kind: TransitionKind;
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
  let at = 0;
  const placed = clips.map((entry, index): PlacedClip => {
    const sourceIn = entry.trim_in ?? 0;
    const length = Math.max(0, (available[index] ?? 0) - sourceIn - (entry.trim_out ?? 0));
    const clip = { index, entry, start: at, end: at + length, sourceIn, sourceOut: sourceIn + length };
    at += length;
    return available[index] === undefined ? clip : { ...clip, available: available[index] };
  });
  const placedTransitions = transitions.flatMap((t): PlacedTransition[] => {
    const frames = t.frames ?? 0;
    if (t.kind === "cut" || frames <= 0 || t.after_clip < 0 || t.after_clip >= clips.length - 1) return [];
    const cut = placed[t.after_clip].end;
    const start = cut - Math.floor(frames / 2);
    return [{ after: t.after_clip, kind: t.kind, frames, start, cut, end: start + frames }];
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
