"""train-lora-sd1.5 through its real entrypoint (diffusers + peft) on a tiny random-weight SD 1.5: a few steps on two
images give a LoRA that t2i-sd1.5 loads and that changes its image."""

from __future__ import annotations

import io
import json
import struct
import threading
from pathlib import Path

import pytest
from PIL import Image

from function_runner.errors import InputError, PipelineCancelledError, PipelineFailedError
from function_runner.execution import CancelToken
from function_runner.runner import FunctionRunner
from function_runner.samples import sample_request
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest
from tests.support.pipeline_checks import assert_png, generate

PIPELINE, MODEL = "train-lora-sd1.5", "stable-diffusion-v1-5"
MODELS = (MODEL,)
STEPS = 4


def safetensors_header(path: Path) -> dict[str, object]:
    """The tensor table of a .safetensors file: its first 8 bytes give the length of the JSON header that follows."""
    with path.open("rb") as file:
        (length,) = struct.unpack("<Q", file.read(8))
        header: dict[str, object] = json.loads(file.read(length))
    return header


def train(runner: FunctionRunner, events: list[RunProgress], **params: object) -> tuple[dict[str, Path], dict]:  # type: ignore[type-arg]
    request = sample_request(runner.pipeline(PIPELINE))
    request = request.model_copy(update={"params": {**request.params, **params}})
    result = runner.run(PIPELINE, request, on_progress=events.append)
    return result.outputs, dict(result.metadata)


@pytest.mark.both_backends
def test_a_few_steps_give_a_lora_that_changes_the_inference_output(runner: FunctionRunner, tmp_path: Path) -> None:
    events: list[RunProgress] = []
    outputs, metadata = train(runner, events)
    # Progress rises, one event per training step in order, each with its loss.
    values = [e.progress for e in events]
    assert values == sorted(values)
    trained = [e for e in events if e.step and e.step.startswith("training step ")]
    assert [e.step for e in trained] == [f"training step {i}/{STEPS}" for i in range(1, STEPS + 1)]
    assert [e.metrics.training_step for e in trained if e.metrics] == list(range(1, STEPS + 1))
    assert [e.metrics.loss for e in trained if e.metrics] == metadata["losses"]
    assert all(loss > 0 for loss in metadata["losses"])
    assert metadata["captions"] == ["sks_mara, front", "sks_mara, side"]
    assert len(metadata["dataset_sha256"]) == 2 and metadata["dataset_sha256"][0] != metadata["dataset_sha256"][1]
    assert metadata["provenance"]["name"] == MODEL
    keys = [key for key in safetensors_header(outputs["lora"]) if key != "__metadata__"]
    assert keys and all(key.startswith("unet.") and "lora" in key for key in keys)
    assert_png(outputs["sample"].read_bytes(), (32, 32))
    assert not (outputs["lora"].parent / "checkpoint.safetensors").exists(), "the final weights supersede it"

    lora = tmp_path / "mara_v01.safetensors"
    lora.write_bytes(outputs["lora"].read_bytes())
    prompt = {"prompt": "sks_mara at the lighthouse"}
    size = {"width": 64, "height": 64, "steps": 2}
    plain = generate(runner, "t2i-sd1.5", prompt, size)
    again = generate(runner, "t2i-sd1.5", prompt, size)
    with_lora = generate(runner, "t2i-sd1.5", {**prompt, "lora": str(lora)}, {**size, "lora_weight": 1.0})
    after = generate(runner, "t2i-sd1.5", prompt, size)
    assert plain.content == again.content, "the same seed gives the same bytes"
    assert with_lora.content != plain.content, "the LoRA changes the image"
    assert after.content == plain.content, "the warm model unloads the LoRA after its job"
    recorded = with_lora.metadata["provenance"]["arguments"]["lora"]
    assert recorded["weight"] == 1.0 and len(recorded["sha256"]) == 64
    with Image.open(io.BytesIO(with_lora.content)) as image:
        assert image.size == (64, 64)


def test_a_checkpoint_is_written_while_it_trains(runner: FunctionRunner) -> None:
    seen: list[bool] = []
    job_dirs = Path(runner.config.jobs_dir)

    def look(event: RunProgress) -> None:
        if event.step == "training step 3/6":  # after the checkpoint of step 2
            seen.append(any(job_dirs.glob("*/out/checkpoint.safetensors")))

    request = sample_request(runner.pipeline(PIPELINE))
    request = request.model_copy(update={"params": {**request.params, "steps": 6, "checkpoint_every": 2}})
    runner.run(PIPELINE, request, on_progress=look)
    assert seen == [True]


def test_a_cancel_stops_training_at_once(runner: FunctionRunner) -> None:
    token = CancelToken()
    events: list[RunProgress] = []

    def on_progress(event: RunProgress) -> None:
        events.append(event)
        if event.step == "training step 2/5000":
            threading.Thread(target=token.cancel).start()

    request = sample_request(runner.pipeline(PIPELINE))
    request = request.model_copy(update={"params": {**request.params, "steps": 5000}})
    with pytest.raises(PipelineCancelledError):
        runner.run(PIPELINE, request, on_progress=on_progress, token=token)
    steps = [e.metrics.training_step for e in events if e.metrics]
    assert steps and max(steps) < 100, "it stopped within a few steps of the cancel"


def test_captions_must_match_the_images(runner: FunctionRunner) -> None:
    request = sample_request(runner.pipeline(PIPELINE))
    bad = RunRequest(inputs=request.inputs, params={**request.params, "trigger_word": "two words"}, seed=1)
    with pytest.raises(InputError, match="trigger_word"):
        runner.run(PIPELINE, bad)


def test_a_run_resumed_from_a_checkpoint_continues_exactly_where_it_stopped(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    """A run stopped after its step-3 checkpoint, resumed from it, redoes no step and gives the losses of a run that
    was never stopped (weights, optimiser moments and noise all come back)."""
    params = {"steps": 6, "checkpoint_every": 3}
    _, whole_metadata = train(runner, [], **params)
    assert whole_metadata["resumed_from_step"] == 0

    kept = tmp_path / "checkpoint.safetensors"
    token = CancelToken()

    def stop_after_the_checkpoint(event: RunProgress) -> None:
        if event.step == "training step 4/6":
            [job_dir] = runner.job_dirs_of(PIPELINE, "stopped")
            kept.write_bytes((job_dir / "out" / "checkpoint.safetensors").read_bytes())
            threading.Thread(target=token.cancel).start()

    request = sample_request(runner.pipeline(PIPELINE))
    request = request.model_copy(update={"params": {**request.params, **params}})
    with pytest.raises(PipelineCancelledError):
        runner.run(PIPELINE, request, on_progress=stop_after_the_checkpoint, token=token, label="stopped")
    assert safetensors_header(kept)["__metadata__"]["step"] == "3"  # type: ignore[index]

    events: list[RunProgress] = []
    resumed = request.model_copy(update={"inputs": {**request.inputs, "resume": str(kept)}})
    result = runner.run(PIPELINE, resumed, on_progress=events.append)
    steps = [e.metrics.training_step for e in events if e.metrics and e.metrics.training_step]
    assert steps == [4, 5, 6], "the three steps the checkpoint holds are not trained again"
    assert result.metadata["resumed_from_step"] == 3
    checkpointed = json.loads(safetensors_header(kept)["__metadata__"]["losses"])  # type: ignore[index]
    assert result.metadata["losses"][:3] == checkpointed, "the first three losses come from the checkpoint"
    # The same updates as the run never stopped (CPU kernels are not bit-exact run to run: 6 decimals may differ).
    assert result.metadata["losses"] == pytest.approx(whole_metadata["losses"], rel=1e-4)


def test_a_checkpoint_of_another_training_is_refused(runner: FunctionRunner, tmp_path: Path) -> None:
    kept = tmp_path / "checkpoint.safetensors"

    def keep(event: RunProgress) -> None:
        if event.step == "training step 3/4":
            [job_dir] = runner.job_dirs_of(PIPELINE, "rank4")
            kept.write_bytes((job_dir / "out" / "checkpoint.safetensors").read_bytes())

    request = sample_request(runner.pipeline(PIPELINE))
    base = {**request.params, "steps": 4, "checkpoint_every": 2}
    runner.run(PIPELINE, request.model_copy(update={"params": {**base, "rank": 4}}), on_progress=keep, label="rank4")
    other = RunRequest(inputs={**request.inputs, "resume": str(kept)}, params={**base, "rank": 8}, seed=request.seed)
    with pytest.raises(PipelineFailedError, match="another rank or model"):
        runner.run(PIPELINE, other)
