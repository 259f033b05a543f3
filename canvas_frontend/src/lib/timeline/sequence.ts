// A Sequence node's cut as data (its `timeline`, `transitions` and `titles`, frames at the sequence's rate),
// and the edits a timeline editor makes to it: each returns the node-data patch to send as one graph edit.
// The shapes are schemas/sequence.schema.json's (the Sequence node's params, which the server validates).
import type {
  AudioTrack,
  SequenceData,
  TimelineClip,
  Title,
  TitlePosition,
  Transition,
  TransitionKind,
} from "../types/contracts";

export type { AudioTrack, SequenceData, TimelineClip, Title, TitlePosition, Transition, TransitionKind };

export const TRANSITION_KINDS: readonly TransitionKind[] = ["cut", "dissolve", "fade_to_black", "wipe"];
export const TITLE_POSITIONS: readonly TitlePosition[] = ["top", "center", "bottom", "lower_third"];
export const DEFAULT_FPS = 24;
export const DEFAULT_TRANSITION_FRAMES = 12;
export const DEFAULT_TITLE_FRAMES = 48;
/** The schema's loudest volume (linear gain; 4 is +12 dB). */
export const MAX_VOLUME = 4;

export type SequencePatch = Partial<Pick<SequenceData, "timeline" | "transitions" | "titles" | "audio_tracks">>;

/** The node's data read as a Sequence: malformed parts read as absent (the server names what is wrong). */
export function sequenceOf(data: Record<string, unknown>): SequenceData {
  const list = <T>(value: unknown): T[] | undefined => (Array.isArray(value) ? (value as T[]) : undefined);
  const fps = typeof data.fps === "number" && data.fps > 0 ? data.fps : undefined;
  return {
    fps,
    timeline: list(data.timeline),
    transitions: list(data.transitions),
    titles: list(data.titles),
    audio_tracks: list(data.audio_tracks),
  };
}

/** The clips in cut order: the timeline as set, else every connected clip in connection order (what the
 * server cuts when no timeline is set). */
export function clipsOf(sequence: SequenceData, connected: readonly string[]): TimelineClip[] {
  return sequence.timeline?.length ? sequence.timeline : connected.map((node_id) => ({ node_id }));
}

/** The timeline with clips connected since it was set appended (untrimmed), and those disconnected left out. */
export function withConnected(clips: readonly TimelineClip[], connected: readonly string[]): TimelineClip[] {
  const linked = new Set(connected);
  const kept = clips.filter((c) => linked.has(c.node_id));
  const listed = new Set(kept.map((c) => c.node_id));
  return [...kept, ...connected.filter((id) => !listed.has(id)).map((node_id) => ({ node_id }))];
}

/** Clip `from` moved to position `to`; each transition stays on the clip it leaves (one that would follow
 * the last clip is dropped, since nothing comes after it). */
export function moveClip(
  clips: readonly TimelineClip[],
  transitions: readonly Transition[],
  from: number,
  to: number,
): SequencePatch {
  const order = clips.map((_, i) => i);
  const [moved] = order.splice(from, 1);
  order.splice(Math.max(0, Math.min(to, clips.length - 1)), 0, moved);
  const newIndex = new Map(order.map((old, index) => [old, index]));
  return {
    timeline: order.map((old) => clips[old]),
    transitions: transitions
      .map((t) => ({ ...t, after_clip: newIndex.get(t.after_clip) ?? -1 }))
      .filter((t) => t.after_clip >= 0 && t.after_clip < clips.length - 1)
      .sort((a, b) => a.after_clip - b.after_clip),
  };
}

/** Clip `index` removed from the cut, with the transitions on either side of it. */
export function removeClip(
  clips: readonly TimelineClip[],
  transitions: readonly Transition[],
  index: number,
): SequencePatch {
  return {
    timeline: clips.filter((_, i) => i !== index),
    transitions: transitions
      .filter((t) => t.after_clip !== index && t.after_clip !== index - 1)
      .map((t) => (t.after_clip > index ? { ...t, after_clip: t.after_clip - 1 } : t)),
  };
}

export type TrimEdge = "in" | "out";

/** The clip with its in- or out-point at `frames` of trim, kept inside the take: trims are never negative and
 * at least one frame remains (`available`: the take's length in frames; unknown, only the first holds). */
export function trimClip(
  clips: readonly TimelineClip[],
  index: number,
  edge: TrimEdge,
  frames: number,
  available?: number,
): SequencePatch {
  const clip = clips[index];
  const other = edge === "in" ? (clip.trim_out ?? 0) : (clip.trim_in ?? 0);
  const most = available === undefined ? Infinity : Math.max(0, available - other - 1);
  const value = Math.max(0, Math.min(Math.round(frames), most));
  const key = edge === "in" ? "trim_in" : "trim_out";
  return { timeline: clips.map((c, i) => (i === index ? { ...c, [key]: value } : c)) };
}

/** The clip's own sound: its offset (whole frames) and volume (0 to MAX_VOLUME). */
export function setClipAudio(
  clips: readonly TimelineClip[],
  index: number,
  audio: { audio_offset?: number; volume?: number },
): SequencePatch {
  const patch: Partial<TimelineClip> = {};
  if (audio.audio_offset !== undefined) patch.audio_offset = Math.round(audio.audio_offset);
  if (audio.volume !== undefined) patch.volume = gain(audio.volume);
  return { timeline: clips.map((c, i) => (i === index ? { ...c, ...patch } : c)) };
}

/** The audio track of node `nodeId` placed at `offset` frames and/or set to `volume` (an entry is made for a
 * connected track that has none yet). */
export function setAudioTrack(
  tracks: readonly AudioTrack[],
  nodeId: string,
  audio: { offset?: number; volume?: number },
): SequencePatch {
  const patch: Partial<AudioTrack> = {};
  if (audio.offset !== undefined) patch.offset = Math.round(audio.offset);
  if (audio.volume !== undefined) patch.volume = gain(audio.volume);
  const found = tracks.some((t) => t.node_id === nodeId);
  return {
    audio_tracks: found
      ? tracks.map((t) => (t.node_id === nodeId ? { ...t, ...patch } : t))
      : [...tracks, { node_id: nodeId, ...patch }],
  };
}

/** A volume within the schema's range, to the hundredth (what a slider step can tell apart). */
function gain(volume: number): number {
  return Math.round(Math.max(0, Math.min(MAX_VOLUME, volume)) * 100) / 100;
}

/** The transition after clip `after` set (a cut, or 0 frames, removes it). */
export function setTransition(
  transitions: readonly Transition[],
  after: number,
  kind: TransitionKind,
  frames: number = DEFAULT_TRANSITION_FRAMES,
): SequencePatch {
  const others = transitions.filter((t) => t.after_clip !== after);
  const length = Math.max(0, Math.min(1000, Math.round(frames)));
  if (kind === "cut" || length === 0) return { transitions: others };
  return {
    transitions: [...others, { after_clip: after, kind, frames: length }].sort((a, b) => a.after_clip - b.after_clip),
  };
}

export function transitionAfter(transitions: readonly Transition[], after: number): Transition | undefined {
  return transitions.find((t) => t.after_clip === after);
}

export function addTitle(titles: readonly Title[], title: Title): SequencePatch {
  return { titles: [...titles, normalTitle(title)] };
}

export function updateTitle(titles: readonly Title[], index: number, patch: Partial<Title>): SequencePatch {
  return { titles: titles.map((t, i) => (i === index ? normalTitle({ ...t, ...patch }) : t)) };
}

export function removeTitle(titles: readonly Title[], index: number): SequencePatch {
  return { titles: titles.filter((_, i) => i !== index) };
}

/** Whole frames, a start on the timeline and at least one frame long (what the schema asks). */
function normalTitle(title: Title): Title {
  return {
    ...title,
    start_frame: Math.max(0, Math.round(title.start_frame)),
    frames: Math.max(1, Math.round(title.frames)),
  };
}
