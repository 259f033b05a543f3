// A Sequence node open in the timeline editor: its cut as the graph holds it (with a drag's draft over it),
// each clip's take and length, the conform warnings on its clips, the selection, the preview's playhead, and
// the edits — each one graph edit through the canvas's own history, so undo/redo is shared and other users
// see it live.
import { shownTake, type TakeRef } from "../graph/takes";
import { layout, type Layout } from "../timeline/layout";
import {
  addTitle,
  clipsOf,
  DEFAULT_FPS,
  DEFAULT_TITLE_FRAMES,
  moveClip,
  removeClip,
  removeTitle,
  sequenceOf,
  setAudioTrack,
  setClipAudio,
  setTransition,
  trimClip,
  updateTitle,
  withConnected,
  type AudioTrack,
  type TimelineClip,
  type SequenceData,
  type SequencePatch,
  type Title,
  type TransitionKind,
  type TrimEdge,
} from "../timeline/sequence";
import { secondsToFrames } from "../timeline/timecode";
import { Transport } from "../timeline/transport";
import type { GraphIssue } from "../types/contracts";
import type { GraphStore } from "./graph.svelte";
import type { NodeRuntimes } from "./runtime.svelte";
import type { GraphValidation } from "./validation.svelte";

export type TimelineSelection =
  | { kind: "clip"; index: number; edge?: TrimEdge }
  | { kind: "transition"; after: number }
  | { kind: "title"; index: number }
  | { kind: "audio"; nodeId: string }
  | null;

export interface TimelineDeps {
  graph: GraphStore;
  runtime: NodeRuntimes;
  validation: GraphValidation;
}

/** A clip's conform warning names it: "Clip 3 (12 fps) is conformed to 24 fps …" (0-based, as the server counts). */
const CLIP_ISSUE = /^Clip (\d+)\b/;

export class TimelineEditor {
  /** Take path → its length in frames at the sequence's rate, as its media reports it. */
  private seconds = $state<Record<string, number>>({});
  /** A drag's edit, shown while the pointer moves and made one graph edit when it is let go. */
  draft = $state.raw<SequencePatch | null>(null);
  selection = $state<TimelineSelection>(null);
  /** The preview: the frame of the sequence shown, and whether it plays. */
  playhead = $state(0);
  playing = $state(false);
  private readonly transport = new Transport(DEFAULT_FPS, 0);
  private shape = "";

  constructor(
    private readonly deps: TimelineDeps,
    readonly nodeId: string,
  ) {}

  // (.by: a field initialiser runs before the constructor's parameters are assigned)
  readonly node = $derived.by(() => this.deps.graph.nodes.find((n) => n.id === this.nodeId));
  readonly sequence: SequenceData = $derived({ ...sequenceOf(this.node?.data ?? {}), ...this.draft });
  readonly fps = $derived(this.sequence.fps ?? DEFAULT_FPS);
  readonly connectedClips = $derived(this.connected("clips"));
  readonly connectedAudio = $derived(this.connected("audio"));
  readonly clips: TimelineClip[] = $derived(
    withConnected(clipsOf(this.sequence, this.connectedClips), this.connectedClips),
  );
  readonly transitions = $derived(this.sequence.transitions ?? []);
  readonly titles = $derived(this.sequence.titles ?? []);
  readonly audioTracks: AudioTrack[] = $derived(
    this.connectedAudio.map((id) => this.sequence.audio_tracks?.find((t) => t.node_id === id) ?? { node_id: id }),
  );
  /** Each clip's take: the one its node shows (its chosen take, else its newest). */
  readonly takes: (TakeRef | undefined)[] = $derived(this.clips.map((c) => this.takeOf(c.node_id)));
  readonly layout: Layout = $derived(
    layout(
      this.clips,
      this.transitions,
      this.takes.map((t) =>
        t && t.path in this.seconds ? secondsToFrames(this.seconds[t.path], this.fps) : undefined,
      ),
    ),
  );
  readonly issues: GraphIssue[] = $derived.by(() => this.deps.validation.issues[this.nodeId] ?? []);

  private connected(port: string): string[] {
    return this.deps.graph.edges
      .filter((e) => e.target === this.nodeId && e.targetHandle === port)
      .map((e) => e.source);
  }

  takeOf(nodeId: string): TakeRef | undefined {
    const node = this.deps.graph.nodes.find((n) => n.id === nodeId);
    return shownTake(this.deps.runtime.of(nodeId)?.takes ?? [], node?.data.active_take);
  }

  /** The title of a clip's node, for its label: its shot id, else its id. */
  nameOf(nodeId: string): string {
    const data = this.deps.graph.nodes.find((n) => n.id === nodeId)?.data;
    return String(data?.shot_id || data?.title || nodeId);
  }

  /** Asks for the takes of clips and tracks not yet known (nodes the canvas has not drawn). */
  loadTakes(): void {
    for (const id of [...this.connectedClips, ...this.connectedAudio]) {
      if (!this.deps.runtime.of(id)?.takes) void this.deps.runtime.loadTakes(id);
    }
  }

  /** A take's media reported its duration. */
  measured(path: string, seconds: number): void {
    if (Number.isFinite(seconds) && this.seconds[path] !== seconds) this.seconds[path] = seconds;
  }

  /** The server's issues that name clip `index` (conform warnings), and those that name no clip. */
  clipIssues(index: number): GraphIssue[] {
    return this.issues.filter((i) => Number(CLIP_ISSUE.exec(i.message)?.[1]) === index);
  }

  get sequenceIssues(): GraphIssue[] {
    return this.issues.filter((i) => !CLIP_ISSUE.test(i.message));
  }

  // -- the preview's playhead (times are performance.now() milliseconds) ----------------------------

  /** Reads the clock: called each animation frame while playing. */
  tick(now: number): void {
    const shape = `${this.fps}/${this.layout.total}`;
    if (shape !== this.shape) {
      this.shape = shape;
      this.transport.reshape(this.fps, this.layout.total, now);
    }
    this.playhead = this.transport.frameAt(now);
    this.playing = this.transport.playing;
  }

  togglePlay(now: number): void {
    this.tick(now);
    if (this.transport.playing) this.transport.pause(now);
    else this.transport.play(now);
    this.tick(now);
  }

  seek(frame: number, now: number): void {
    this.tick(now);
    this.transport.seek(frame, now);
    this.tick(now);
  }

  /** Stops and moves the playhead `delta` frames (the arrow keys). */
  step(delta: number, now: number): void {
    this.tick(now);
    this.transport.pause(now);
    this.seek(this.playhead + delta, now);
  }

  // -- edits ----------------------------------------------------------------------------------------

  /** One edit of the node's data, sent with the version it was made on (undo takes it back whole). */
  apply(patch: SequencePatch): void {
    this.draft = null;
    this.deps.graph.edit([{ op: "update_node_data", node_id: this.nodeId, data: { ...patch } }]);
  }

  /** Shows `patch` without sending it (a drag in progress); `commit()` makes it the edit. */
  preview(patch: SequencePatch): void {
    this.draft = { ...this.draft, ...patch };
  }

  commit(): void {
    if (this.draft) this.apply(this.draft);
  }

  cancelDraft(): void {
    this.draft = null;
  }

  move(from: number, to: number): void {
    if (from === to) return;
    this.apply(moveClip(this.clips, this.transitions, from, to));
    this.selection = { kind: "clip", index: Math.max(0, Math.min(to, this.clips.length - 1)) };
  }

  remove(index: number): void {
    this.apply(removeClip(this.clips, this.transitions, index));
    this.selection = null;
  }

  /** The clip's in- or out-point at `frames` of trim (a drag previews; `now` makes the edit). */
  trim(index: number, edge: TrimEdge, frames: number, now = true): void {
    const patch = trimClip(this.clips, index, edge, frames, this.layout.clips[index]?.available);
    if (now) this.apply(patch);
    else this.preview(patch);
  }

  /** Moves the selected trim edge by `delta` frames (the keyboard nudge). */
  nudge(delta: number): void {
    const selected = this.selection;
    if (selected?.kind !== "clip" || !selected.edge) return;
    const clip = this.clips[selected.index];
    // Dragging an in-point later trims more; an out-point later trims less.
    const current = selected.edge === "in" ? (clip.trim_in ?? 0) : (clip.trim_out ?? 0);
    this.trim(selected.index, selected.edge, current + (selected.edge === "in" ? delta : -delta));
  }

  clipAudio(index: number, audio: { audio_offset?: number; volume?: number }): void {
    this.apply(setClipAudio(this.clips, index, audio));
  }

  track(nodeId: string, audio: { offset?: number; volume?: number }): void {
    this.apply(setAudioTrack(this.sequence.audio_tracks ?? [], nodeId, audio));
  }

  transition(after: number, kind: TransitionKind, frames?: number): void {
    this.apply(setTransition(this.transitions, after, kind, frames));
    this.selection = kind === "cut" ? null : { kind: "transition", after };
  }

  /** A new title at `start` (the playhead), selected for editing. */
  addTitle(start: number, text = "Title"): void {
    this.apply(
      addTitle(this.titles, { text, start_frame: start, frames: DEFAULT_TITLE_FRAMES, position: "lower_third" }),
    );
    this.selection = { kind: "title", index: this.titles.length - 1 };
  }

  title(index: number, patch: Partial<Title>, now = true): void {
    const edit = updateTitle(this.titles, index, patch);
    if (now) this.apply(edit);
    else this.preview(edit);
  }

  removeTitle(index: number): void {
    this.apply(removeTitle(this.titles, index));
    this.selection = null;
  }
}
