import { describe, expect, it } from "vitest";
import type { TrainingBaseModel } from "../api";
import type { Asset } from "../types/contracts";
import {
  baseModelProblems,
  defaultBaseModel,
  ended,
  lossPath,
  queued,
  statusLabel,
  trainingProblems,
  withProgress,
} from "./training";

const image = (file: string, width = 512, height = 512) => ({ file, sha256: "a".repeat(64), width, height });
const asset = (images: ReturnType<typeof image>[]): Asset => ({
  schema_version: 1,
  uuid: "6f1c2f6e-8d1a-4a43-9a55-0c5f4a2b7d10",
  kind: "Character",
  name: "Mara",
  trigger_word: "sks_mara",
  description: "",
  created_at: "2026-11-30T07:30:00Z",
  reference_images: images,
  versions: [],
});

describe("trainingProblems", () => {
  it("asks for enough images, and names each image that is too small", () => {
    expect(trainingProblems(asset([]), 512)).toEqual([
      "Add 2 more reference image(s): training needs at least 2, it has 0 images.",
    ]);
    expect(trainingProblems(asset([image("refs/a.png"), image("refs/b.png", 300, 200)]), 512)).toEqual([
      "b.png is 300×200: use images at least 256 px on a side.",
    ]);
    expect(trainingProblems(asset([image("refs/a.png"), image("refs/b.png")]), 512)).toEqual([]);
  });
});

const PULL_FLUX =
  "the model 'FLUX.1-dev' (FLUX.1 [dev] (diffusers layout)) is not in the model store (expected <model store>/FLUX.1-dev). " +
  "Fetch it with `studio models pull FLUX.1-dev`, or add a local copy with `studio models add FLUX.1-dev PATH`.";
const UNBUILT = { message: "The image studio/train-lora-flux:local is not built.", fix: "studio pipelines build x" };

function choice(base_model: string, is_default: boolean, problems: { message: string; fix: string }[] = []) {
  const weights_present = !problems.some((p) => p.fix.startsWith("studio models pull"));
  return {
    base_model,
    name: base_model,
    pipeline_id: `train-${base_model}`,
    is_default,
    availability: { ready: problems.length === 0, image_built: null, weights_present, problems },
  } satisfies TrainingBaseModel;
}
const noWeights = (name: string) => [
  { message: PULL_FLUX.replaceAll("FLUX.1-dev", name), fix: `studio models pull ${name}` },
];

describe("the base model choice", () => {
  it("offers the server's default, unless only another one has its weights", () => {
    const sd15 = choice("sd15", true);
    const flux = choice("flux", false);
    expect(defaultBaseModel([sd15, flux])).toBe("sd15");
    expect(defaultBaseModel([choice("sd15", true, noWeights("sd15")), flux])).toBe("flux");
    expect(defaultBaseModel([choice("sd15", true, noWeights("sd15")), choice("flux", false, noWeights("flux"))])).toBe(
      "sd15",
    );
    expect(defaultBaseModel([])).toBeUndefined();
  });

  it("says what a base model lacks with the command that fixes it, and refuses to train without weights", () => {
    const flux = choice("FLUX.1-dev", false, [...noWeights("FLUX.1-dev"), UNBUILT]);
    expect(baseModelProblems(flux)).toEqual([
      "The model 'FLUX.1-dev' (FLUX.1 [dev] (diffusers layout)) is not in the model store (expected " +
        "<model store>/FLUX.1-dev). Fetch it with `studio models pull FLUX.1-dev`, or add a local copy with " +
        "`studio models add FLUX.1-dev PATH`.",
      "The image studio/train-lora-flux:local is not built. Run `studio pipelines build x`.",
    ]);
    const ready = asset([image("refs/a.png"), image("refs/b.png")]);
    expect(trainingProblems(ready, 512, flux)).toEqual(baseModelProblems(flux));
    // Without its image the pipeline runs as a process: a sentence on the page, no refusal.
    expect(trainingProblems(ready, 512, choice("sd15", true, [UNBUILT]))).toEqual([]);
  });
});

describe("a training's status", () => {
  const progress = (value: number, step?: number, loss?: number) => ({
    task_id: "t1",
    node_id: "n",
    progress: value,
    ...(step ? { metrics: { training_step: step, loss } } : {}),
  });

  it("goes Queued, Training: N% with the losses in order, Complete", () => {
    let status = queued("t1");
    expect(statusLabel(status)).toBe("Queued");
    status = withProgress(status, progress(25.7, 1, 0.5));
    status = withProgress(status, progress(50, 2, 0.25));
    status = withProgress(status, { ...progress(80, 3, 0.1), task_id: "other" });
    expect(statusLabel(status)).toBe("Training: 50%");
    expect(status.losses).toEqual([
      { step: 1, loss: 0.5 },
      { step: 2, loss: 0.25 },
    ]);
    status = ended(status, "complete");
    expect([statusLabel(status), status.progress]).toEqual(["Complete", 100]);
    expect(withProgress(status, progress(60, 4, 0.2))).toBe(status);
  });

  it("says why it failed", () => {
    expect(statusLabel(ended(queued("t1"), "failed", "out of memory"))).toBe("Failed: out of memory");
  });
});

describe("lossPath", () => {
  it("draws the first step left, the last right, the highest loss at the top", () => {
    const points = [
      { step: 1, loss: 1 },
      { step: 2, loss: 0.5 },
      { step: 3, loss: 0 },
    ];
    expect(lossPath(points, 100, 50)).toBe("M0.0,0.0 L50.0,25.0 L100.0,50.0");
    expect(lossPath([], 100, 50)).toBe("");
  });
});
