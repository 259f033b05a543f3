"""motion-wan2.1-vace-1.3b through its real entrypoint (diffusers WanVACEPipeline) on a tiny random-weight Wan VACE:
a control video and a character image in, an MP4 out; a motion video of the wrong shape or length is refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from function_runner.errors import PipelineFailedError
from function_runner.runner import FunctionRunner
from server.media.ffmpeg import ffmpeg_exe
from tests.support.pipeline_checks import (
    assert_mp4,
    assert_provenance,
    assert_seeded,
    assert_steps_in_order,
    generate,
)

PIPELINE, MODEL = "motion-wan2.1-vace-1.3b", "Wan2.1-VACE-1.3B-diffusers"
MODELS = (MODEL,)  # built into the tiny store for the `runner` fixture
SAMPLES = Path(__file__).resolve().parent / "samples"
# motion.mp4: 64x48, 9 frames at 16 fps (an outline moving right); character.png: a figure on white.
INPUTS = {"motion": str(SAMPLES / "motion.mp4"), "image": str(SAMPLES / "character.png"), "prompt": "a walk"}
SMALL = {"width": 64, "height": 48, "steps": 2}


def control_video(path: Path, size: str, rate: int, seconds: float) -> str:
    command = [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", f"testsrc=s={size}:r={rate}:d={seconds}"]
    subprocess.run([*command, "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)], check=True)
    return str(path)


def test_the_motion_drives_an_mp4_of_the_output_size_with_its_frames_at_16_fps(
    runner: FunctionRunner, tmp_path: Path
) -> None:
    run = generate(runner, PIPELINE, INPUTS, {"width": 128, "height": 96, "steps": 3, "motion_strength": 0.8})
    assert_mp4(run.content, tmp_path, size=(128, 96), frames=9, fps=16.0)  # the 64x48 control video, scaled 2x
    assert_steps_in_order(run.events, total=3)
    arguments = {"prompt": "a walk", "negative_prompt": None, "width": 128, "height": 96, "num_frames": 9}
    arguments |= {"conditioning_scale": 0.8, "num_inference_steps": 3, "guidance_scale": 5.0, "output_type": "np"}
    assert_provenance(run.metadata, runner, MODEL, {**arguments, "seed": 7, "fps": 16})


def test_a_30_fps_motion_is_resampled_to_16_fps(runner: FunctionRunner, tmp_path: Path) -> None:
    # 0.8 s at 30 fps = 24 frames -> 13 frames at 16 fps (13 is 4k+1: all kept; the chain test cuts 8 to 5).
    motion = control_video(tmp_path / "walk30.mp4", "64x48", 30, 0.8)
    run = generate(runner, PIPELINE, {**INPUTS, "motion": motion}, SMALL)
    assert_mp4(run.content, tmp_path, size=(64, 48), frames=13, fps=16.0)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(runner: FunctionRunner) -> None:
    assert_seeded(runner, PIPELINE, INPUTS, SMALL)


def test_a_motion_of_another_shape_than_the_output_is_refused_with_its_aspect(runner: FunctionRunner) -> None:
    with pytest.raises(PipelineFailedError, match=r"the motion video is 64x48 but the output is 128x48, another shape"):
        generate(runner, PIPELINE, INPUTS, {**SMALL, "width": 128})


def test_a_motion_longer_than_5_seconds_is_refused_with_the_limit(runner: FunctionRunner, tmp_path: Path) -> None:
    motion = control_video(tmp_path / "long.mp4", "64x48", 16, 6)
    with pytest.raises(PipelineFailedError, match=r"the motion video is 6\.0 s \(96 frames at 16 fps\); .* at most 81"):
        generate(runner, PIPELINE, {**INPUTS, "motion": motion}, SMALL)


def test_a_motion_too_short_or_not_a_video_is_refused(runner: FunctionRunner, tmp_path: Path) -> None:
    motion = control_video(tmp_path / "short.mp4", "64x48", 16, 0.125)
    with pytest.raises(PipelineFailedError, match=r"the motion video has 2 frame\(s\) at 16 fps; .* at least 5"):
        generate(runner, PIPELINE, {**INPUTS, "motion": motion}, SMALL)
    with pytest.raises(PipelineFailedError, match=r"the motion input is a still image; .* on a video"):
        generate(runner, PIPELINE, {**INPUTS, "motion": INPUTS["image"]}, SMALL)
