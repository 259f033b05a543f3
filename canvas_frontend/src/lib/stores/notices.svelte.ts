// The notices shown over the canvas: the last few, each gone after a while or when dismissed.
import type { ServerNotification } from "../types/contracts";

export interface Notice {
  id: number;
  level: ServerNotification["level"];
  message: string;
}

/** How many notices are shown at once: a burst of failures does not bury the canvas. */
const SHOWN = 5;
let noticeIds = 0;

export class Notices {
  list = $state<Notice[]>([]);

  /** Shows `message`; it goes by itself after `ttlMs` (0: it stays until dismissed). */
  push(level: Notice["level"], message: string, ttlMs = 6000): void {
    const notice = { id: ++noticeIds, level, message };
    this.list = [...this.list.slice(-(SHOWN - 1)), notice];
    if (ttlMs > 0) setTimeout(() => this.dismiss(notice.id), ttlMs);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((n) => n.id !== id);
  }
}
