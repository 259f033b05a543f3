// Where a copy of canvas nodes is kept: localStorage, so that it pastes into another project's tab too, and
// this tab's memory when storage is full or disabled.
import { parseClip, type Clip } from "../graph/clipboard";

export const CLIPBOARD_KEY = "studio.clipboard";

export class ClipboardStorage {
  private inTab: Clip | null = null;

  put(clip: Clip): void {
    this.inTab = clip;
    try {
      localStorage.setItem(CLIPBOARD_KEY, JSON.stringify(clip));
    } catch {
      /* storage full or disabled: the copy still pastes in this tab */
    }
  }

  /** The last copy of any tab, else this tab's. */
  get(): Clip | null {
    let stored: string | null = null;
    try {
      stored = localStorage.getItem(CLIPBOARD_KEY);
    } catch {
      /* no storage: this tab's copy */
    }
    return parseClip(stored) ?? this.inTab;
  }
}
