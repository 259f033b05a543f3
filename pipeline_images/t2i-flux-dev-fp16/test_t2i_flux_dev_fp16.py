"""t2i-flux-dev-fp16 through its real entrypoint (diffusers FluxPipeline) on a tiny random-weight FLUX.1 [dev]."""

from __future__ import annotations

from function_runner.runner import FunctionRunner
from tests.support.pipeline_checks import (
    assert_cancel_stops_between_steps,
    assert_png,
    assert_provenance,
    assert_seeded,
    assert_steps_in_order,
    generate,
)

PIPELINE, MODEL = "t2i-flux-dev-fp16", "FLUX.1-dev"
MODELS = (MODEL,)  # built into the tiny store for the `runner` fixture
INPUTS = {"prompt": "a lighthouse at dusk"}


def test_a_png_of_the_requested_size_with_steps_in_order_and_provenance(runner: FunctionRunner) -> None:
    run = generate(runner, PIPELINE, INPUTS, {"width": 80, "height": 64, "steps": 3, "guidance": 5.0})
    assert_png(run.content, (80, 64))
    assert_steps_in_order(run.events, total=3)
    arguments = {**INPUTS, "width": 80, "height": 64, "num_inference_steps": 3, "guidance_scale": 5.0}
    assert_provenance(run.metadata, runner, MODEL, {**arguments, "max_sequence_length": 512, "seed": 7})


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    assert_seeded(runner, PIPELINE, INPUTS, {"width": 64, "height": 64, "steps": 2})


def test_a_cancel_stops_it_between_steps_and_the_model_stays_loaded(runner: FunctionRunner) -> None:
    assert_cancel_stops_between_steps(runner, PIPELINE, INPUTS, {"width": 64, "height": 64, "steps": 100}, 100)
    assert_png(generate(runner, PIPELINE, INPUTS, {"width": 64, "height": 64, "steps": 1}).content, (64, 64))
