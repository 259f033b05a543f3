"""t2v-ltx-13b through its real entrypoint (LTXConditionPipeline, latent upsampler) on tiny random-weight models."""

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
    generate,
)

PIPELINE, MODEL = "t2v-ltx-13b", "LTX-Video-0.9.7-dev"
MODELS = ("LTX-Video-0.9.7-dev", "ltxv-spatial-upscaler-0.9.7")  # the optional upsampler too: two passes
INPUTS = {"prompt": "waves on a beach at dusk", "negative_prompt": "static"}
SMALL = {"width": 64, "height": 64, "frames": 9, "steps": 2, "refine_steps": 3}


def test_two_passes_with_the_upsampler_give_an_mp4_of_the_requested_size_frames_and_fps(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    params = {**SMALL, "width": 96, "frames": 17, "fps": 12, "steps": 3, "refine_steps": 5}
    run = generate(runner, PIPELINE, INPUTS, params)
    assert_mp4(run.content, tmp_path, size=(96, 64), frames=17, fps=12.0)
    steps = [event.step for event in run.events]
    first, refine = steps.index("step 1/3"), steps.index("refine 1/2")
    assert steps[first : first + 3] == ["step 1/3", "step 2/3", "step 3/3"]
    # The refining pass re-noises 40 % of the way: 2 of its 5 steps run.
    assert steps.index("upsampling the latents 2x") < refine and steps[refine + 1] == "refine 2/2"
    assert [e.progress for e in run.events] == sorted(e.progress for e in run.events)
    refine_call = {"width": 128, "height": 64, "num_inference_steps": 5, "denoise_strength": 0.4}
    refine_call |= {"decode_timestep": 0.05, "image_cond_noise_scale": 0.025}
    arguments = {**INPUTS, "num_frames": 17, "frame_rate": 12, "guidance_scale": 3.0, "width": 96, "height": 64}
    arguments |= {"first_pass_width": 64, "first_pass_height": 32, "num_inference_steps": 3, "refine": refine_call}
    assert_provenance(run.metadata, runner, MODEL, {**arguments, "latent_upsampler": True, "seed": 7, "fps": 12})


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    assert_seeded(runner, PIPELINE, INPUTS, SMALL)


def test_a_frame_count_that_is_not_8k_plus_1_is_refused_with_the_rule(runner: FunctionRunner) -> None:
    with pytest.raises(PipelineFailedError, match=r"frames must be 8k\+1 \(e\.g\. 97 or 121\), got 12"):
        generate(runner, PIPELINE, INPUTS, {**SMALL, "frames": 12})


def test_a_cancel_stops_it_between_steps_and_the_model_stays_loaded(runner: FunctionRunner) -> None:
    assert_cancel_stops_between_steps(runner, PIPELINE, INPUTS, {**SMALL, "steps": 60}, 60)
