// Two players kept in step for an A/B comparison: play, pause and a scrub on either happen to the other.

/** The part of an HTMLMediaElement that linking needs (a fake in tests). */
export interface Player extends EventTarget {
  currentTime: number;
  readonly paused: boolean;
  play(): Promise<void>;
  pause(): void;
}

/** Seeks closer than this (seconds, about a frame at 24 fps) are the echo of our own seek. */
const IN_STEP_S = 0.05;

/** Links `a` and `b` until the returned function is called. */
export function linkPlayers(a: Player, b: Player): () => void {
  const stops = [follow(a, b), follow(b, a)];
  return () => stops.forEach((stop) => stop());
}

function follow(from: Player, to: Player): () => void {
  const handlers: Record<string, () => void> = {
    play: () => {
      if (to.paused) void to.play().catch(() => undefined); // a refused autoplay only leaves B paused
    },
    pause: () => {
      if (!to.paused) to.pause();
    },
    seeked: () => {
      if (Math.abs(to.currentTime - from.currentTime) > IN_STEP_S) to.currentTime = from.currentTime;
    },
  };
  for (const [name, handler] of Object.entries(handlers)) from.addEventListener(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) from.removeEventListener(name, handler);
  };
}

/** Both from the start if both are paused, else both paused. */
export function playOrPauseBoth(a: Player, b: Player): void {
  const playing = !a.paused || !b.paused;
  for (const player of [a, b]) {
    if (playing) player.pause();
    else {
      player.currentTime = 0;
      void player.play().catch(() => undefined);
    }
  }
}
