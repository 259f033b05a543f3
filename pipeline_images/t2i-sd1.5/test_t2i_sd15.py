"""t2i-sd1.5 through its real entrypoint (diffusers StableDiffusionPipeline) on a tiny random-weight SD 1.5."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image

from function_runner.errors import PipelineCancelledError
from function_runner.execution import CancelToken
from function_runner.jobs import Progress, RunRequest
from function_runner.runner import FunctionRunner
from function_runner.weights import read_record
from tests.support.stack_models import TinyStore, assert_steps_in_order

PIPELINE = "t2i-sd1.5"
MODEL = "stable-diffusion-v1-5"


@pytest.fixture(scope="module")
def runner(model_runner: FunctionRunner, tiny_store: TinyStore) -> FunctionRunner:
    tiny_store.model(MODEL)
    return model_runner


def generate(
    runner: FunctionRunner, seed: int = 7, **params: object
) -> tuple[bytes, dict[str, object], list[Progress]]:
    events: list[Progress] = []
    result = runner.run(
        PIPELINE,
        RunRequest(
            inputs={"prompt": "a lighthouse at dusk", "negative_prompt": "blurry"},
            params={"width": 64, "height": 64, "steps": 3, **params},
            seed=seed,
        ),
        on_progress=events.append,
    )
    return result.outputs["image"].read_bytes(), result.metadata, events


def test_a_png_of_the_requested_size_with_steps_in_order_and_provenance(runner: FunctionRunner, tmp_path: Path) -> None:
    png, metadata, events = generate(runner, width=96, height=64)
    (tmp_path / "take.png").write_bytes(png)
    with Image.open(tmp_path / "take.png") as image:
        image.load()
        assert (image.format, image.size, image.mode) == ("PNG", (96, 64), "RGB")
    # PNDM (SD 1.5's scheduler) runs one extra step: the pipeline reports its own count.
    assert_steps_in_order(events, total=4)
    provenance = metadata["provenance"]
    assert isinstance(provenance, dict)
    record = read_record(Path(runner.config.model_store) / MODEL)
    assert record is not None
    assert (provenance["name"], provenance["weights_sha256"]) == (MODEL, record.fingerprint)
    assert (provenance["device"], provenance["dtype"], provenance["memory_savers"]) == ("cpu", "float32", [])
    assert provenance["libraries"]["diffusers"] == "0.42.1"
    assert provenance["arguments"] == {
        "prompt": "a lighthouse at dusk",
        "negative_prompt": "blurry",
        "width": 96,
        "height": 64,
        "num_inference_steps": 3,
        "guidance_scale": 7.5,  # the manifest's default
        "seed": 7,
    }


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    first, _, _ = generate(runner, seed=7)
    again, _, _ = generate(runner, seed=7)
    other, _, _ = generate(runner, seed=8)
    assert first == again
    assert first != other


def test_a_cancel_stops_it_between_steps_and_the_model_stays_loaded(runner: FunctionRunner) -> None:
    token = CancelToken()
    steps: list[str] = []
    errors: list[Exception] = []

    def on_progress(event: Progress) -> None:
        steps.append(event.step)
        if event.step.startswith("step 2/"):
            token.cancel()

    def run() -> None:
        try:
            runner.run(
                PIPELINE,
                RunRequest(inputs={"prompt": "a long one"}, params={"width": 64, "height": 64, "steps": 150}),
                on_progress=on_progress,
                token=token,
            )
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], PipelineCancelledError), errors
    last = [s for s in steps if s.startswith("step ")][-1]
    assert int(last.split()[1].split("/")[0]) < 150  # stopped long before the end
    assert list(runner.backend.pool.workers()) == [PIPELINE]  # type: ignore[attr-defined]
    png, _, _ = generate(runner)  # the warm worker serves the next job
    assert png.startswith(b"\x89PNG")
