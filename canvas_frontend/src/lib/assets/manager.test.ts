import { describe, expect, it } from "vitest";
import type { AssetPublic, TrainingCreate } from "../api";
import { AssetManager } from "./manager.svelte";
import { statusLabel } from "./training";

const mara = (images = 0, versions = 0): AssetPublic =>
  ({
    folder: "01_Assets/Generative_Assets/Characters/Mara",
    asset: {
      schema_version: 1,
      uuid: "6f1c2f6e-8d1a-4a43-9a55-0c5f4a2b7d10",
      kind: "Character",
      name: "Mara",
      trigger_word: "sks_mara",
      description: "",
      created_at: "2026-11-30T07:30:00Z",
      reference_images: Array.from({ length: images }, (_, i) => ({
        file: `refs/r${i}.png`,
        sha256: "a".repeat(64),
        width: 512,
        height: 512,
      })),
      versions: Array.from({ length: versions }, () => ({})),
    },
  }) as AssetPublic;

function fakeApi() {
  const calls: string[] = [];
  let stored = mara();
  return {
    calls,
    api: {
      listAssets: async () => (calls.push("list"), [stored]),
      trainingBaseModels: async () => (calls.push("base models"), [{ base_model: "FLUX.1-dev" }] as never),
      createAsset: async () => (calls.push("create"), stored),
      addReferenceImages: async (_p: string, _a: string, files: File[]) => (
        calls.push(`add ${files.length}`),
        (stored = mara(files.length)),
        stored
      ),
      removeReferenceImage: async () => (calls.push("remove"), (stored = mara(0)), stored),
      trainAsset: async (_p: string, _a: string, body: TrainingCreate) => (
        calls.push(`train ${body.base_model} ${body.resolution} ${body.steps}`),
        { task_id: "t1" } as never
      ),
      cancelTask: async () => (calls.push("cancel"), {}) as never,
      finish: () => (stored = mara(2, 1)),
    },
  };
}

describe("AssetManager", () => {
  it("creates, adds images, trains and follows the training to its new version", async () => {
    const { api, calls } = fakeApi();
    const manager = new AssetManager("p1", api);
    await manager.loadBaseModels();
    expect(manager.baseModels.map((choice) => choice.base_model)).toEqual(["FLUX.1-dev"]);
    await manager.create("Mara", "sks_mara", "");
    const id = manager.assets[0].asset.uuid;
    await manager.addImages(id, [new File(["x"], "a.png"), new File(["y"], "b.png")]);
    expect(manager.assets[0].asset.reference_images).toHaveLength(2);
    await manager.train(id, { baseModel: "FLUX.1-dev", resolution: 512, steps: 800 });
    expect(statusLabel(manager.trainings[id])).toBe("Queued");
    manager.progress({ task_id: "t1", node_id: id, progress: 25, metrics: { loss: 0.3, training_step: 200 } });
    expect(statusLabel(manager.trainings[id])).toBe("Training: 25%");
    api.finish();
    await manager.succeeded({ task_id: "t1", node_id: id, result: { output_url: "/x" } });
    expect(statusLabel(manager.trainings[id])).toBe("Complete");
    expect(manager.assets[0].asset.versions).toHaveLength(1);
    expect(calls).toEqual(["base models", "create", "add 2", "train FLUX.1-dev 512 800", "list"]);
  });

  it("shows the server's sentence when a call is refused", async () => {
    const { api } = fakeApi();
    const manager = new AssetManager("p1", {
      ...api,
      trainAsset: async () => {
        throw new Error("'Mara' cannot be trained yet: add 2 more.");
      },
    });
    await manager.train("u", { baseModel: "stable-diffusion-v1-5", resolution: 512, steps: 800 });
    expect(manager.error).toBe("'Mara' cannot be trained yet: add 2 more.");
    expect(manager.trainings).toEqual({});
  });
});
