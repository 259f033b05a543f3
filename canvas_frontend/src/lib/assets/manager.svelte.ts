// The Asset Manager's state for one project: its assets, the base models it can train on, and each training's live
// status from the project socket.
import type { Api, AssetPublic, TrainingBaseModel } from "../api";
import type { ServerTaskFailed, ServerTaskProgress, ServerTaskSuccess } from "../types/contracts";
import { ended, queued, withProgress, type TrainingStatus } from "./training";

type AssetApi = Pick<
  Api,
  | "listAssets"
  | "trainingBaseModels"
  | "createAsset"
  | "addReferenceImages"
  | "removeReferenceImage"
  | "trainAsset"
  | "cancelTask"
>;

export interface TrainingSettings {
  baseModel: string;
  resolution: number;
  steps: number;
}

export class AssetManager {
  assets = $state<AssetPublic[]>([]);
  /** What the server can train on, the default first (as GET …/training/base-models says). */
  baseModels = $state<TrainingBaseModel[]>([]);
  /** Asset uuid -> its latest training. */
  trainings = $state<Record<string, TrainingStatus>>({});
  error = $state("");

  constructor(
    private readonly projectId: string,
    private readonly api: AssetApi,
  ) {}

  private async attempt(work: () => Promise<void>): Promise<void> {
    this.error = "";
    try {
      await work();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  }

  private replace(changed: AssetPublic): void {
    this.assets = this.assets.map((a) => (a.asset.uuid === changed.asset.uuid ? changed : a));
  }

  load = () =>
    this.attempt(async () => {
      this.assets = await this.api.listAssets(this.projectId);
    });

  loadBaseModels = () =>
    this.attempt(async () => {
      this.baseModels = await this.api.trainingBaseModels(this.projectId);
    });

  create = (name: string, triggerWord: string, description: string) =>
    this.attempt(async () => {
      const created = await this.api.createAsset(this.projectId, {
        kind: "Character",
        name,
        trigger_word: triggerWord,
        description,
      });
      this.assets = [...this.assets, created];
    });

  addImages = (assetId: string, files: File[]) =>
    this.attempt(async () => this.replace(await this.api.addReferenceImages(this.projectId, assetId, files)));

  removeImage = (assetId: string, file: string) =>
    this.attempt(async () => this.replace(await this.api.removeReferenceImage(this.projectId, assetId, file)));

  train = (assetId: string, { baseModel, resolution, steps }: TrainingSettings) =>
    this.attempt(async () => {
      const body = { base_model: baseModel, resolution, steps };
      const task = await this.api.trainAsset(this.projectId, assetId, body);
      this.trainings = { ...this.trainings, [assetId]: queued(task.task_id) };
    });

  cancel = (assetId: string) =>
    this.attempt(async () => {
      const training = this.trainings[assetId];
      if (!training) return;
      await this.api.cancelTask(training.taskId);
      this.trainings = { ...this.trainings, [assetId]: ended(training, "cancelled") };
    });

  /** A training task's events name the asset's uuid as their node. */
  progress(event: ServerTaskProgress): void {
    const id = event.node_id; // absent: a studio task (a model pull), no asset's
    const training = id && this.trainings[id];
    if (id && training) this.trainings = { ...this.trainings, [id]: withProgress(training, event) };
  }

  succeeded(event: ServerTaskSuccess): Promise<void> {
    const id = event.node_id;
    const training = id && this.trainings[id];
    if (!id || !training || training.taskId !== event.task_id) return Promise.resolve();
    this.trainings = { ...this.trainings, [id]: ended(training, "complete") };
    return this.load(); // the new version
  }

  failed(event: ServerTaskFailed): void {
    const id = event.node_id;
    const training = id && this.trainings[id];
    if (id && training && training.taskId === event.task_id)
      this.trainings = { ...this.trainings, [id]: ended(training, "failed", event.error) };
  }
}
