// The licences of the weights a pipeline node runs (node type `licences`, from its manifest), as the palette and
// the node show them: restrictive terms such as "non-commercial" must be seen before a take is made with them.
import type { NodeType } from "../types/contracts";

/** One line per model: "INSwapper 128: non-commercial research use only". Empty for nodes without weights. */
export function licenceLines(type: NodeType | undefined): string[] {
  return (type?.licences ?? []).map((entry) => `${entry.weights}: ${entry.licence}`);
}

/** The short badge: "non-commercial" when any model's licence restricts commercial use, else the licence names. */
export function licenceBadge(type: NodeType | undefined): string {
  const licences = [...new Set((type?.licences ?? []).map((entry) => entry.licence))];
  if (licences.some((licence) => /non-?commercial/i.test(licence))) return "non-commercial";
  return licences.join(", ");
}
