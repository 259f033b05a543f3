"""sr-spandrel through its real entrypoint (spandrel loading a tiny random-weight ESRGAN from the model store)."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from function_runner.errors import PipelineFailedError
from function_runner.runner import FunctionRunner
from server.media.probe import probe
from tests.support.pipeline_checks import assert_mp4, assert_png, generate
from tests.support.spandrel_media import textured_image, video_with_audio

PIPELINE = "sr-spandrel"
MODELS = ("upscale-networks",)  # built into the tiny store for the `runner` fixture
ESRGAN = {"network": "esrgan-x2.safetensors"}


def pixels(content: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(content)) as image:
        return np.asarray(image.convert("RGB")).astype(np.int16)


@pytest.mark.both_backends
def test_an_image_at_the_networks_scale_then_lanczos_to_any_exact_factor(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    image = str(textured_image(tmp_path / "frame.png"))  # 40x28
    native = generate(runner, PIPELINE, {"image": image}, {**ESRGAN, "scale": 2})
    assert_png(native.content, (80, 56))
    network = native.metadata["provenance"]["network"]
    assert (network["file"], network["architecture"], network["scale"]) == ("esrgan-x2.safetensors", "ESRGAN", 2)
    assert native.metadata["provenance"]["libraries"]["spandrel"] == "0.4.2"
    assert native.metadata["provenance"]["arguments"] == {"scale": 2.0}
    # 1.5 and 3 are not the network's scale: it runs at 2, then Lanczos gives the exact size.
    assert_png(generate(runner, PIPELINE, {"image": image}, {**ESRGAN, "scale": 1.5}).content, (60, 42))
    assert_png(generate(runner, PIPELINE, {"image": image}, {**ESRGAN, "scale": 3}).content, (120, 84))


def test_tiles_with_overlap_give_the_untiled_result(runner: FunctionRunner, tmp_path: Path) -> None:
    image = str(textured_image(tmp_path / "frame.png"))
    whole = generate(runner, PIPELINE, {"image": image}, {**ESRGAN, "scale": 2})
    tiled = generate(runner, PIPELINE, {"image": image}, {**ESRGAN, "scale": 2, "tile": 12})  # 4x3 tiles
    assert tiled.metadata["provenance"]["network"]["tile"] == 12
    assert np.abs(pixels(whole.content) - pixels(tiled.content)).max() <= 1  # no seam: float rounding at most


def test_a_video_is_upscaled_frame_by_frame_keeping_fps_and_audio(runner: FunctionRunner, tmp_path: Path) -> None:
    video = str(video_with_audio(tmp_path / "clip.mp4", frames=6, fps=12, size="32x24"))
    run = generate(runner, PIPELINE, {"video": video}, {**ESRGAN, "scale": 2.5})
    assert_mp4(run.content, tmp_path, size=(80, 60), frames=6, fps=12.0)
    (tmp_path / "out.mp4").write_bytes(run.content)
    audio = probe(tmp_path / "out.mp4").audio
    assert audio is not None and audio.codec == "aac"
    assert (run.metadata["frames"], run.metadata["fps"]) == (6, 12.0)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"network": "unknown.safetensors"}, r"unknown\.safetensors is not a network architecture spandrel 0\.4\.2"),
        ({"network": "nafnet.safetensors"}, r"nafnet\.safetensors is a NAFNet network for Restoration, but this"),
        ({"network": "missing.pth"}, r"network 'missing\.pth' is not in the model store folder 'upscale-networks'"),
        ({}, r"'upscale-networks' holds 3 network files \(esrgan-x2\.safetensors, nafnet\.safetensors, unknown"),
    ],
)
def test_a_network_it_cannot_use_is_refused_with_a_sentence(
    runner: FunctionRunner, tmp_path: Path, params: dict[str, str], message: str
) -> None:
    image = str(textured_image(tmp_path / "frame.png"))
    with pytest.raises(PipelineFailedError, match=message):
        generate(runner, PIPELINE, {"image": image}, {**params, "scale": 2})


def test_an_empty_video_and_two_inputs_are_refused_with_a_sentence(runner: FunctionRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(PipelineFailedError, match=r"empty"):
        generate(runner, PIPELINE, {"video": str(empty)}, {**ESRGAN, "scale": 2})
    image, video = textured_image(tmp_path / "frame.png"), video_with_audio(tmp_path / "clip.mp4")
    with pytest.raises(
        PipelineFailedError, match=r"connect either an image or a video to upscale, got image and video"
    ):
        generate(runner, PIPELINE, {"image": str(image), "video": str(video)}, {**ESRGAN, "scale": 2})
