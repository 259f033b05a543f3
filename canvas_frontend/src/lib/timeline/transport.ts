// The preview's clock: where the playhead is, in frames of the sequence, while it plays or stands. It reads
// time from the caller (performance.now() in the browser), so it runs the same under test.
import { exactRate } from "./timecode";

export class Transport {
  private origin = 0;
  private startedAt: number | null = null;

  constructor(
    private fps: number,
    private total: number,
  ) {}

  get playing(): boolean {
    return this.startedAt !== null;
  }

  /** The sequence changed rate or length; the playhead keeps its frame (inside the new end). */
  reshape(fps: number, total: number, now: number): void {
    const frame = this.frameAt(now);
    this.fps = fps;
    this.total = total;
    this.origin = Math.min(frame, Math.max(0, total - 1));
    if (this.startedAt !== null) this.startedAt = now;
  }

  /** The frame shown at time `now` (ms); playing stops by itself on the last frame. */
  frameAt(now: number): number {
    if (this.startedAt === null) return this.origin;
    const frame = this.origin + Math.floor(((now - this.startedAt) / 1000) * exactRate(this.fps) + 1e-6);
    if (frame < this.total) return frame;
    this.origin = Math.max(0, this.total - 1);
    this.startedAt = null;
    return this.origin;
  }

  /** Plays from where it stands (from the start when it stands on the last frame). */
  play(now: number): void {
    if (this.startedAt !== null || this.total === 0) return;
    if (this.origin >= this.total - 1) this.origin = 0;
    this.startedAt = now;
  }

  pause(now: number): void {
    this.origin = this.frameAt(now);
    this.startedAt = null;
  }

  /** Moves the playhead to `frame` (kept on the sequence); playing goes on from there. */
  seek(frame: number, now: number): void {
    this.origin = Math.max(0, Math.min(Math.round(frame), Math.max(0, this.total - 1)));
    if (this.startedAt !== null) this.startedAt = now;
  }
}
