// Frames ↔ SMPTE timecode at any rate a sequence can have: whole rates (8, 12, 16, 24, 25, 30, …) count
// frames 0…rate-1 per second; the NTSC rates (23.976, 29.97, 59.94) count at their nominal rate (24, 30, 60),
// 29.97 and 59.94 as drop-frame (";" before the frames), as every NLE shows them.

const NTSC = [24000 / 1001, 30000 / 1001, 60000 / 1001];

/** The rate's NTSC form (24000/1001 …) when `fps` is one written short (23.976, 29.97), else `fps` itself. */
export function exactRate(fps: number): number {
  return NTSC.find((rate) => Math.abs(rate - fps) < 0.01) ?? fps;
}

/** The frames counted per timecode second: the rate rounded (30 for 29.97). */
export function nominalRate(fps: number): number {
  return Math.max(1, Math.round(fps));
}

/** Frames skipped in the count each minute but every tenth (SMPTE 12M): 2 at 29.97, 4 at 59.94, else 0. */
export function dropFrames(fps: number): number {
  const rate = exactRate(fps);
  return rate === NTSC[1] ? 2 : rate === NTSC[2] ? 4 : 0;
}

/** "23.976 fps", "24 fps", "12.5 fps". */
export function rateLabel(fps: number): string {
  const rate = exactRate(fps);
  const shown = Number.isInteger(rate) ? String(rate) : (Math.floor(rate * 1000) / 1000).toString();
  return `${shown} fps`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The timecode of frame `frames` (0-based, counted from 00:00:00:00); negative frames carry a "-". */
export function toTimecode(frames: number, fps: number): string {
  if (frames < 0) return `-${toTimecode(-frames, fps)}`;
  const nominal = nominalRate(fps);
  const drop = dropFrames(fps);
  let count = Math.round(frames);
  if (drop) {
    const perTenMinutes = nominal * 600 - drop * 9;
    const perMinute = nominal * 60 - drop;
    const tens = Math.floor(count / perTenMinutes);
    const rest = count % perTenMinutes;
    count += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const ff = count % nominal;
  const seconds = Math.floor(count / nominal);
  const separator = drop ? ";" : ":";
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}${separator}${pad(ff)}`;
}

/** Seconds of media time at frame `frames` of a sequence at `fps` (the NTSC rates exactly). */
export function framesToSeconds(frames: number, fps: number): number {
  return frames / exactRate(fps);
}

/** The whole frame at `seconds` (a media element's currentTime) of a sequence at `fps`. */
export function secondsToFrames(seconds: number, fps: number): number {
  // A hair of tolerance: currentTime of frame n is n/fps give or take a float's rounding.
  return Math.floor(seconds * exactRate(fps) + 1e-6);
}
