"""t2v-wan2.1-1.3b through its real entrypoint (diffusers WanPipeline) on a tiny random-weight Wan 2.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from function_runner.errors import PipelineFailedError
from function_runner.runner import FunctionRunner
from tests.support.pipeline_checks import (
    assert_cancel_stops_between_steps,
    assert_mp4,
    assert_provenance,
    assert_seeded,
    assert_steps_in_order,
    generate,
)

PIPELINE, MODEL = "t2v-wan2.1-1.3b", "Wan2.1-T2V-1.3B-Diffusers"
MODELS = (MODEL,)  # built into the tiny store for the `runner` fixture
INPUTS = {"prompt": "waves on a beach at dusk", "negative_prompt": "static"}
SMALL = {"width": 64, "height": 64, "frames": 5, "steps": 2}


def test_an_mp4_of_the_requested_size_and_frames_at_16_fps(runner: FunctionRunner, tmp_path: Path) -> None:
    run = generate(runner, PIPELINE, INPUTS, {"width": 96, "height": 64, "frames": 9, "steps": 3})
    assert_mp4(run.content, tmp_path, size=(96, 64), frames=9, fps=16.0)
    assert_steps_in_order(run.events, total=3)
    assert run.metadata["frames"] == 9 and run.metadata["fps"] == 16
    arguments = {**INPUTS, "width": 96, "height": 64, "num_frames": 9, "num_inference_steps": 3}
    arguments |= {"guidance_scale": 5.0, "output_type": "np", "seed": 7, "fps": 16}
    assert_provenance(run.metadata, runner, MODEL, arguments)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    assert_seeded(runner, PIPELINE, INPUTS, SMALL)


def test_a_frame_count_that_is_not_4k_plus_1_is_refused_with_the_rule(runner: FunctionRunner) -> None:
    with pytest.raises(PipelineFailedError, match=r"frames must be 4k\+1 \(e\.g\. 33, 49 or 81\), got 8"):
        generate(runner, PIPELINE, INPUTS, {**SMALL, "frames": 8})


def test_a_cancel_stops_it_between_steps_and_the_model_stays_loaded(runner: FunctionRunner) -> None:
    assert_cancel_stops_between_steps(runner, PIPELINE, INPUTS, {**SMALL, "steps": 60}, 60)
