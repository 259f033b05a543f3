"""A training task run again after its worker died resumes from the checkpoint its killed run left on this host: the
steps that checkpoint holds are not trained again, the loss curve continues, and the dead run's job dir goes."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from function_runner.errors import PipelineCancelledError
from function_runner.execution import CancelToken
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest
from server.generation.runtime import PipelineRunners
from tests.server.training.test_training import FOLDER, character, run, start, studio, tiny_store
from tests.support.jobs import JobStudio, job_studio

__all__ = ["job_studio", "studio", "tiny_store"]
PIPELINE = "train-lora-sd1.5"


def test_a_task_rerun_after_its_worker_died_resumes_from_the_checkpoint(studio: JobStudio, tmp_path: Path) -> None:
    project, asset_id = character(studio)
    task = start(studio, project, asset_id, steps=8).json()  # a checkpoint every 2 steps
    assert task["spec"]["params"]["checkpoint_every"] == 2
    runner = PipelineRunners(studio.settings).for_pipeline(PIPELINE)
    repo = studio.repo_root(project)
    asset = json.loads((repo / FOLDER / "asset.json").read_text())

    # The run a worker was killed in: the same request, stopped after step 5 (its checkpoint is at step 4). A kill
    # leaves its job dir; this cancel removes it, so the checkpoint is put back where the killed run had it.
    images = [str(repo / FOLDER / image["file"]) for image in asset["reference_images"]]
    params = {**task["spec"]["params"], "trigger_word": "sks_mara", "captions": ["", ""]}
    killed_losses: list[float] = []
    kept = tmp_path / "checkpoint.safetensors"
    token = CancelToken()

    def kill_after_step_5(event: RunProgress) -> None:
        if event.metrics and event.metrics.loss is not None:
            killed_losses.append(event.metrics.loss)
        if event.step == "training step 5/8":
            [job_dir] = runner.job_dirs_of(PIPELINE, task["task_id"])
            kept.write_bytes((job_dir / "out/checkpoint.safetensors").read_bytes())
            threading.Thread(target=token.cancel).start()

    request = RunRequest(inputs={"images": images}, params=params, seed=task["spec"]["seed"])
    with pytest.raises(PipelineCancelledError):
        runner.run(PIPELINE, request, on_progress=kill_after_step_5, token=token, label=task["task_id"])
    dead = Path(runner.config.jobs_dir) / f"{PIPELINE}-{task['task_id']}-0000dead0000"
    (dead / "out").mkdir(parents=True)
    (dead / "out/checkpoint.safetensors").write_bytes(kept.read_bytes())

    done = run(studio, task["task_id"])
    assert done["state"] == "succeeded", done["error"]
    progress = studio.events_of(task["task_id"], "server:task_progress")
    steps = [event["metrics"]["training_step"] for event in progress if "metrics" in event]
    assert steps == [5, 6, 7, 8], "steps 1-4 are in the checkpoint and are not trained again"
    sidecar = json.loads((repo / FOLDER / "loras/Mara_Voss_v01.json").read_text())
    assert sidecar["resumed_from_step"] == 4
    assert len(sidecar["loss"]) == 8 and sidecar["steps"] == 8
    assert sidecar["loss"][:4] == killed_losses[:4], "steps 1-4's losses are the killed run's, from its checkpoint"
    # Step 5 again, from the same state: the same loss (CPU kernels are not bit-exact run to run).
    assert sidecar["loss"][4] == pytest.approx(killed_losses[4], rel=1e-4)
    assert not dead.exists() and runner.job_dirs_of(PIPELINE, task["task_id"]) == []
