import { describe, expect, it } from "vitest";
import { linkPlayers, playOrPauseBoth, type Player } from "./linked";

/** A media element's events as a browser fires them: play/pause when the state changes, seeked after a seek. */
class FakePlayer extends EventTarget implements Player {
  paused = true;
  private time = 0;
  seeks = 0;
  get currentTime(): number {
    return this.time;
  }
  set currentTime(value: number) {
    this.time = value;
    this.seeks += 1;
    this.dispatchEvent(new Event("seeked"));
  }
  async play(): Promise<void> {
    if (!this.paused) return;
    this.paused = false;
    this.dispatchEvent(new Event("play"));
  }
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.dispatchEvent(new Event("pause"));
  }
}

describe("linkPlayers", () => {
  it("plays, pauses and scrubs the other player, without echoing back", async () => {
    const [a, b] = [new FakePlayer(), new FakePlayer()];
    const unlink = linkPlayers(a, b);
    await a.play();
    expect(b.paused).toBe(false);
    b.pause();
    expect(a.paused).toBe(true);
    a.currentTime = 1.5;
    expect(b.currentTime).toBe(1.5);
    expect([a.seeks, b.seeks]).toEqual([1, 1]); // B's seek came back in step and was left alone
    unlink();
    a.currentTime = 0.2;
    await a.play();
    expect(b.currentTime).toBe(1.5);
    expect(b.paused).toBe(true);
  });

  it("starts both from the top, or pauses both", async () => {
    const [a, b] = [new FakePlayer(), new FakePlayer()];
    a.currentTime = 3;
    playOrPauseBoth(a, b);
    expect([a.paused, b.paused, a.currentTime, b.currentTime]).toEqual([false, false, 0, 0]);
    playOrPauseBoth(a, b);
    expect([a.paused, b.paused]).toEqual([true, true]);
  });
});
