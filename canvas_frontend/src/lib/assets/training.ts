// The Asset Manager's logic, framework-free: whether an asset can be trained (the server's own rules, said before
// asking it), and a training task's status and loss curve as its socket events arrive.
import type { TrainingBaseModel } from "../api";
import type { Asset, ServerTaskProgress } from "../types/contracts";

export const MIN_IMAGES = 2;

/** The base model the page offers first: the server's default, unless only another one has its weights. */
export function defaultBaseModel(choices: TrainingBaseModel[]): string | undefined {
  const usable = choices.filter((choice) => choice.availability.weights_present);
  return (usable.find((choice) => choice.is_default) ?? usable[0] ?? choices.find((c) => c.is_default))?.base_model;
}

/** What the base model's training pipeline lacks here (its weights, its image), one sentence each with the
 * command that fixes it. */
export function baseModelProblems(choice: TrainingBaseModel): string[] {
  return choice.availability.problems.map(({ message, fix }) => {
    const sentence = message.charAt(0).toUpperCase() + message.slice(1);
    return !fix || message.includes(fix) ? sentence : `${sentence} Run \`${fix}\`.`;
  });
}

/** What keeps `asset` from training at `resolution` on `baseModel`, one sentence each; empty when it can train. */
export function trainingProblems(asset: Asset, resolution: number, baseModel?: TrainingBaseModel): string[] {
  const problems: string[] = [];
  const count = asset.reference_images.length;
  if (count < MIN_IMAGES) {
    const images = count === 1 ? "image" : "images";
    problems.push(
      `Add ${MIN_IMAGES - count} more reference image(s): training needs at least ${MIN_IMAGES}, it has ${count} ${images}.`,
    );
  }
  const smallest = Math.floor(resolution / 2);
  const small = asset.reference_images.filter((image) => Math.min(image.width, image.height) < smallest);
  for (const image of small)
    problems.push(
      `${image.file.replace(/^refs\//, "")} is ${image.width}×${image.height}: use images at least ${smallest} px on a side.`,
    );
  if (!asset.trigger_word) problems.push("Give the asset a trigger word.");
  // The server refuses a base model without weights; a missing image only makes its pipeline run as a process.
  if (baseModel && !baseModel.availability.weights_present) problems.push(...baseModelProblems(baseModel));
  return problems;
}

export type TrainingPhase = "queued" | "training" | "complete" | "failed" | "cancelled";

export interface TrainingStatus {
  taskId: string;
  phase: TrainingPhase;
  progress: number; // 0-100
  losses: { step: number; loss: number }[];
  error?: string;
}

export function queued(taskId: string): TrainingStatus {
  return { taskId, phase: "queued", progress: 0, losses: [] };
}

/** The status after one progress event of its task (others leave it as it is). */
export function withProgress(status: TrainingStatus, event: ServerTaskProgress): TrainingStatus {
  if (event.task_id !== status.taskId || (status.phase !== "queued" && status.phase !== "training")) return status;
  const metrics = event.metrics;
  const losses =
    metrics?.loss !== undefined && metrics.training_step !== undefined
      ? [...status.losses, { step: metrics.training_step, loss: metrics.loss }]
      : status.losses;
  return { ...status, phase: "training", progress: Math.max(status.progress, event.progress), losses };
}

export function ended(
  status: TrainingStatus,
  phase: "complete" | "failed" | "cancelled",
  error?: string,
): TrainingStatus {
  return { ...status, phase, progress: phase === "complete" ? 100 : status.progress, error };
}

/** What the page shows: "Queued", "Training: 25%", "Complete", … */
export function statusLabel(status: TrainingStatus): string {
  switch (status.phase) {
    case "queued":
      return "Queued";
    case "training":
      return `Training: ${Math.floor(status.progress)}%`;
    case "complete":
      return "Complete";
    case "failed":
      return `Failed: ${status.error ?? "see the task"}`;
    case "cancelled":
      return "Cancelled";
  }
}

/** An SVG path of the loss curve in a `width`×`height` box (steps left to right, the lowest loss at the bottom). */
export function lossPath(losses: { step: number; loss: number }[], width: number, height: number): string {
  if (losses.length === 0) return "";
  const steps = losses.map((point) => point.step);
  const values = losses.map((point) => point.loss);
  const [first, last] = [Math.min(...steps), Math.max(...steps)];
  const [low, high] = [Math.min(...values), Math.max(...values)];
  const x = (step: number) => (last === first ? 0 : ((step - first) / (last - first)) * width);
  const y = (loss: number) => (high === low ? height / 2 : height - ((loss - low) / (high - low)) * height);
  return losses.map((point, i) => `${i ? "L" : "M"}${x(point.step).toFixed(1)},${y(point.loss).toFixed(1)}`).join(" ");
}
