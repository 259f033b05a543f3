"""i2v-ltx through its real entrypoint (diffusers LTXImageToVideoPipeline) on a tiny random-weight LTX-Video."""

from __future__ import annotations

from pathlib import Path

from function_runner.runner import FunctionRunner
from tests.support.pipeline_checks import (
    assert_cancel_stops_between_steps,
    assert_mp4,
    assert_provenance,
    assert_seeded,
    assert_steps_in_order,
    generate,
)

PIPELINE, MODEL = "i2v-ltx", "LTX-Video"
MODELS = (MODEL,)  # built into the tiny store for the `runner` fixture
SAMPLE = Path(__file__).resolve().parent / "samples" / "frame.png"
INPUTS = {"image": str(SAMPLE), "prompt": "the sea starts to move"}
SMALL = {"width": 64, "height": 64, "frames": 9, "steps": 2}


def test_the_start_image_becomes_an_mp4_of_the_requested_size_frames_and_fps(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    run = generate(runner, PIPELINE, INPUTS, {"width": 96, "height": 64, "frames": 17, "steps": 3})
    assert_mp4(run.content, tmp_path, size=(96, 64), frames=17, fps=24.0)
    assert_steps_in_order(run.events, total=3)
    arguments = {"prompt": INPUTS["prompt"], "negative_prompt": None, "width": 96, "height": 64, "num_frames": 17}
    arguments |= {"frame_rate": 24, "num_inference_steps": 3, "guidance_scale": 3.0, "output_type": "np"}
    assert_provenance(run.metadata, runner, MODEL, {**arguments, "seed": 7, "fps": 24})


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    assert_seeded(runner, PIPELINE, INPUTS, SMALL)


def test_a_cancel_stops_it_between_steps_and_the_model_stays_loaded(runner: FunctionRunner) -> None:
    assert_cancel_stops_between_steps(runner, PIPELINE, INPUTS, {**SMALL, "steps": 60}, 60)
