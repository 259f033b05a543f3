"""train-lora-flux through its real entrypoint (diffusers + peft) on a tiny random-weight FLUX.1 [dev]: a few steps
on two images give a LoRA that t2i-flux-dev-fp16 and t2i-flux-schnell load and that changes their image."""

from __future__ import annotations

from pathlib import Path

from function_runner.runner import FunctionRunner
from function_runner.samples import sample_request
from schemas.models.run_progress import RunProgress
from tests.support.pipeline_checks import assert_png, generate

PIPELINE = "train-lora-flux"
MODELS = ("FLUX.1-dev", "FLUX.1-schnell")
STEPS = 4


def test_a_few_steps_give_a_lora_that_changes_both_flux_pipelines_images(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    events: list[RunProgress] = []
    result = runner.run(PIPELINE, sample_request(runner.pipeline(PIPELINE)), on_progress=events.append)
    trained = [e.metrics for e in events if e.metrics and e.metrics.training_step]
    assert [m.training_step for m in trained] == list(range(1, STEPS + 1))
    assert [m.loss for m in trained] == result.metadata["losses"]
    assert all(loss > 0 for loss in result.metadata["losses"])
    assert result.metadata["provenance"]["name"] == "FLUX.1-dev"
    assert result.metadata["resumed_from_step"] == 0
    assert_png(result.outputs["sample"].read_bytes(), (32, 32))

    lora = tmp_path / "mara_v01.safetensors"
    lora.write_bytes(result.outputs["lora"].read_bytes())
    for pipeline, params in (("t2i-flux-dev-fp16", {"guidance": 3.5}), ("t2i-flux-schnell", {})):
        size = {"width": 64, "height": 64, "steps": 2, **params}
        prompt = {"prompt": "sks_mara at the lighthouse"}
        plain = generate(runner, pipeline, prompt, size)
        with_lora = generate(runner, pipeline, {**prompt, "lora": str(lora)}, {**size, "lora_weight": 1.0})
        after = generate(runner, pipeline, prompt, size)
        assert with_lora.content != plain.content, f"the LoRA changes {pipeline}'s image"
        assert after.content == plain.content, f"{pipeline}'s warm model unloads the LoRA after its job"
        assert with_lora.metadata["provenance"]["arguments"]["lora"]["weight"] == 1.0
