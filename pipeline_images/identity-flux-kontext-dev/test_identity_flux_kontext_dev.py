"""identity-flux-kontext-dev through its real entrypoint (diffusers FluxKontextPipeline) on a tiny random-weight
FLUX.1 Kontext [dev]: an image of the requested size from the reference and the prompt, a character's FLUX LoRA
composes with it (and is unloaded after its job), a bad reference is refused with a sentence."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from PIL import Image

from function_runner.errors import PipelineFailedError
from function_runner.runner import FunctionRunner
from schemas.models.run_request import RunRequest
from tests.support.pipeline_checks import assert_png, assert_provenance, assert_steps_in_order, generate
from tests.support.stack_models import REPO, stack_python

PIPELINE, MODEL = "identity-flux-kontext-dev", "FLUX.1-Kontext-dev"
MODELS = (MODEL,)  # built into the tiny store for the `runner` fixture
REFERENCE = Path(__file__).resolve().parent / "samples" / "reference.png"  # 64x64
INPUTS = {"image": str(REFERENCE), "prompt": "this woman on a beach at sunset"}
SMALL = {"width": 64, "height": 64, "steps": 2}


def test_an_image_of_the_requested_size_with_steps_in_order_and_provenance(runner: FunctionRunner) -> None:
    run = generate(runner, PIPELINE, INPUTS, {"width": 96, "height": 64, "steps": 3})
    assert_png(run.content, (96, 64))
    assert_steps_in_order(run.events, total=3)
    arguments = {"prompt": INPUTS["prompt"], "width": 96, "height": 64, "max_area": 96 * 64, "_auto_resize": False}
    arguments |= {"num_inference_steps": 3, "guidance_scale": 2.5, "seed": 7}
    assert_provenance(run.metadata, runner, MODEL, arguments)


def test_the_reference_reaches_the_model_and_a_character_lora_composes_with_it(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    lora = tmp_path / "mara_v01.safetensors"  # what train-lora-flux writes, random weights (tests/support/tiny_edit.py)
    subprocess.run([str(stack_python()), "-m", "tests.support.tiny_edit", str(lora)], cwd=REPO, check=True)
    other_reference = tmp_path / "other.png"
    Image.new("RGB", (64, 64), (20, 160, 60)).save(other_reference)

    plain = generate(runner, PIPELINE, INPUTS, SMALL)
    other = generate(runner, PIPELINE, {**INPUTS, "image": str(other_reference)}, SMALL)
    with_lora = generate(runner, PIPELINE, {**INPUTS, "lora": str(lora)}, {**SMALL, "lora_weight": 1.0})
    after = generate(runner, PIPELINE, INPUTS, SMALL)
    assert other.content != plain.content, "the reference image did not reach the model"
    assert with_lora.content != plain.content, "the LoRA did not change the image"
    assert after.content == plain.content, "the warm model kept the LoRA after its job"
    assert with_lora.metadata["provenance"]["arguments"]["lora"]["weight"] == 1.0
    assert_png(with_lora.content, (64, 64))


def test_a_reference_too_large_is_refused_with_a_sentence(runner: FunctionRunner, tmp_path: Path) -> None:
    huge = tmp_path / "huge.png"
    Image.new("RGB", (64, 2100)).save(huge)
    with pytest.raises(PipelineFailedError) as caught:
        runner.run(PIPELINE, RunRequest(inputs={**INPUTS, "image": str(huge)}, params=SMALL, seed=7))
    sentence = (
        "The reference image is 64x2100 px, but identity-flux-kontext-dev takes 64 to 2048 px a side; "
        "downscale or crop it first."
    )
    assert sentence in caught.value.message
