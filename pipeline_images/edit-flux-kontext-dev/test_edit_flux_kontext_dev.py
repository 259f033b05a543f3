"""edit-flux-kontext-dev through its real entrypoint (diffusers FluxKontextPipeline) on a tiny random-weight
FLUX.1 Kontext [dev]: the edit keeps the source's size, both the source and the instruction reach the model, and bad
sources are refused with sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from function_runner.errors import InputError, PipelineFailedError
from function_runner.runner import FunctionRunner
from schemas.models.run_request import RunRequest
from tests.support.pipeline_checks import assert_png, assert_provenance, assert_steps_in_order, generate

PIPELINE, MODEL = "edit-flux-kontext-dev", "FLUX.1-Kontext-dev"
MODELS = (MODEL,)  # built into the tiny store for the `runner` fixture
SOURCE = Path(__file__).resolve().parent / "samples" / "source.png"  # 96x64
INSTRUCTION = "make it night, with a full moon"


def still(folder: Path, size: tuple[int, int], colour: tuple[int, int, int] = (200, 120, 40)) -> str:
    path = folder / f"still_{size[0]}x{size[1]}_{colour[0]}.png"
    Image.new("RGB", size, colour).save(path)
    return str(path)


def test_the_edit_is_a_png_of_the_sources_size_with_steps_in_order_and_provenance(runner: FunctionRunner) -> None:
    run = generate(runner, PIPELINE, {"image": str(SOURCE), "prompt": INSTRUCTION}, {"steps": 3})
    assert_png(run.content, (96, 64))
    assert_steps_in_order(run.events, total=3)
    arguments = {"prompt": INSTRUCTION, "width": 96, "height": 64, "max_area": 96 * 64, "_auto_resize": False}
    arguments |= {"num_inference_steps": 3, "guidance_scale": 2.5, "seed": 7}
    assert_provenance(run.metadata, runner, MODEL, arguments)


def test_the_source_and_the_instruction_both_change_the_result_and_sides_floor_to_16_px(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    small = {"steps": 2}
    first = generate(runner, PIPELINE, {"image": str(SOURCE), "prompt": INSTRUCTION}, small).content
    again = generate(runner, PIPELINE, {"image": str(SOURCE), "prompt": INSTRUCTION}, small).content
    other_instruction = generate(runner, PIPELINE, {"image": str(SOURCE), "prompt": "make it snow"}, small).content
    plain = still(tmp_path, (96, 64))
    other_source = generate(runner, PIPELINE, {"image": plain, "prompt": INSTRUCTION}, small).content
    assert first == again, "the same source, instruction and seed gave other bytes"
    assert first != other_instruction, "the instruction did not reach the model"
    assert first != other_source, "the source image did not reach the model"
    odd = generate(runner, PIPELINE, {"image": still(tmp_path, (100, 70)), "prompt": INSTRUCTION}, small)
    assert_png(odd.content, (96, 64))


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (
            (40, 30),
            "The source image is 40x30 px, but edit-flux-kontext-dev takes 64 to 2048 px a side; upscale it first.",
        ),
        (
            (2064, 64),
            "The source image is 2064x64 px, but edit-flux-kontext-dev takes 64 to 2048 px a side; "
            "downscale or crop it first.",
        ),
    ],
)
def test_a_source_of_the_wrong_size_is_refused_with_a_sentence(
    runner: FunctionRunner, tmp_path: Path, size: tuple[int, int], expected: str
) -> None:
    request = RunRequest(inputs={"image": still(tmp_path, size), "prompt": INSTRUCTION}, params={"steps": 1}, seed=7)
    with pytest.raises(PipelineFailedError) as caught:
        runner.run(PIPELINE, request)
    assert expected in caught.value.message


def test_a_missing_or_unreadable_source_is_refused_with_a_sentence(runner: FunctionRunner, tmp_path: Path) -> None:
    missing = "required input 'image' (Image) is missing. Connect or give it a value."
    with pytest.raises(InputError, match=re.escape(missing)):
        runner.run(PIPELINE, RunRequest(inputs={"prompt": INSTRUCTION}, params={}, seed=7))
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a picture")
    with pytest.raises(PipelineFailedError) as caught:
        runner.run(PIPELINE, RunRequest(inputs={"image": str(broken), "prompt": INSTRUCTION}, params={}, seed=7))
    sentence = "The source image is not an image edit-flux-kontext-dev can read; connect a PNG or JPEG image."
    assert sentence in caught.value.message
