// Which input sockets a node leaves undrawn while unconnected: its type's `hide_inputs`, less those its own
// values reveal (a Shot whose task type edits an image needs its start image socket to be wired).
import type { NodeUi } from "$lib/types/contracts";

export function hiddenInputs(ui: NodeUi, data: Record<string, unknown>): string[] {
  const reveal = ui.reveal_inputs;
  const revealed = reveal ? (reveal.values[String(data[reveal.param] ?? "")] ?? []) : [];
  return (ui.hide_inputs ?? []).filter((name) => !revealed.includes(name));
}
