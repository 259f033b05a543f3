"""The checks every generative pipeline's test makes through its real entrypoint (tiny models, both backends)."""

from __future__ import annotations

import io
import json
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from function_runner.errors import PipelineCancelledError
from function_runner.execution import CancelToken
from function_runner.runner import FunctionRunner
from function_runner.weights import read_record
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest
from server.media.ffmpeg import ffmpeg_exe
from server.media.probe import probe


@dataclass(frozen=True)
class Generated:
    content: bytes
    metadata: dict[str, Any]
    events: list[RunProgress]


def generate(
    runner: FunctionRunner, pipeline: str, inputs: dict[str, Any], params: dict[str, Any], seed: int = 7
) -> Generated:
    events: list[RunProgress] = []
    result = runner.run(pipeline, RunRequest(inputs=inputs, params=params, seed=seed), on_progress=events.append)
    [path] = result.outputs.values()
    return Generated(path.read_bytes(), dict(result.metadata), events)


def assert_steps_in_order(events: list[RunProgress], total: int) -> None:
    """Progress rises, and the denoising steps arrive as `step 1/N` … `step N/N`, each once, in order."""
    values = [event.progress for event in events]
    assert values == sorted(values), values
    steps = [event.step for event in events if event.step and event.step.startswith("step ")]
    assert steps == [f"step {i}/{total}" for i in range(1, total + 1)], steps


def assert_png(content: bytes, size: tuple[int, int]) -> None:
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        assert (image.format, image.size, image.mode) == ("PNG", size, "RGB")


def assert_mp4(content: bytes, tmp: Path, size: tuple[int, int], frames: int, fps: float) -> None:
    """An H.264 MP4 of that size, frame count and rate that ffmpeg decodes to the end without an error."""
    path = tmp / "take.mp4"
    path.write_bytes(content)
    info = probe(path)
    assert info.video is not None
    assert (info.video.codec, info.video.width, info.video.height) == ("h264", *size)
    assert (info.frames, float(info.video.fps)) == (frames, fps)
    decoded = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    )
    assert decoded.stderr == b"" and len(decoded.stdout) == frames * size[0] * size[1] * 3


def assert_provenance(metadata: dict[str, Any], runner: FunctionRunner, model: str, arguments: dict[str, Any]) -> None:
    """The pipeline reports the model, the store record's fingerprint, the CPU run and every call argument."""
    provenance = metadata["provenance"]
    record = read_record(Path(runner.config.model_store) / model)
    assert record is not None
    assert (provenance["name"], provenance["weights_sha256"]) == (model, record.fingerprint)
    assert (provenance["device"], provenance["dtype"], provenance["memory_savers"]) == ("cpu", "float32", [])
    assert provenance["peak_vram_gb"] is None
    assert provenance["libraries"]["diffusers"] == "0.42.1"
    assert provenance["arguments"] == json.loads(json.dumps(arguments))


def assert_seeded(runner: FunctionRunner, pipeline: str, inputs: dict[str, Any], params: dict[str, Any]) -> None:
    first = generate(runner, pipeline, inputs, params, seed=7).content
    again = generate(runner, pipeline, inputs, params, seed=7).content
    other = generate(runner, pipeline, inputs, params, seed=8).content
    assert first == again, "the same seed gave other bytes"
    assert first != other, "another seed gave the same bytes"


def assert_cancel_stops_between_steps(
    runner: FunctionRunner,
    pipeline: str,
    inputs: dict[str, Any],
    params: dict[str, Any],
    steps: int,
    unit: str = "step",
) -> None:
    """Cancelled at `unit` 2 of `steps` (progress lines `<unit> i/N`): the run stops long before its end, and the warm
    instance serves on."""
    token = CancelToken()
    seen: list[str] = []
    errors: list[Exception] = []

    def on_progress(event: RunProgress) -> None:
        seen.append(event.step or "")
        if (event.step or "").startswith(f"{unit} 2/"):
            token.cancel()

    def run() -> None:
        try:
            runner.run(pipeline, RunRequest(inputs=inputs, params=params, seed=7), on_progress=on_progress, token=token)
        except Exception as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(300)
    assert not thread.is_alive()
    assert len(errors) == 1 and isinstance(errors[0], PipelineCancelledError), errors
    last = [s for s in seen if s.startswith(f"{unit} ")][-1]
    assert int(last.split()[1].split("/")[0]) < steps // 2, f"it ran on to {last}"
    assert pipeline in runner.backend.pool.instances()  # type: ignore[attr-defined]
