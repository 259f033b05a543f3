"""motion-wan2.1-vace-1.3b: motion transfer with Wan 2.1 VACE (1.3B) through diffusers' WanVACEPipeline: a Motion
Source's control video (edges or depth per frame) moves the character of a reference image; an MP4 at 16 fps."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import diffusion_job as job
import numpy as np
import torch
from diffusers import AutoencoderKLWan, WanVACEPipeline
from PIL import Image

from function_runner import sdk

FPS = 16  # what Wan 2.1 was trained on: the control video is resampled to it, one control frame per output frame
FRAME_STEP = 4  # the VAE packs 4 frames into one latent frame: counts are 4k+1
MIN_FRAMES, MAX_FRAMES = 5, 81  # 81 = 5 s, the length Wan 2.1 VACE was trained on
STILL_FORMATS = frozenset({"png_pipe", "jpeg_pipe", "webp_pipe", "image2"})  # ffprobe's names for a picture
ASPECT_TOLERANCE = 0.05  # a control video this much wider or taller than the output is refused, not distorted


def load() -> job.Loaded:
    runtime = job.choose_runtime()  # bf16 transformer and text encoder
    # The Wan VAE decodes in fp32 (the model's recommended use): fp16/bf16 decoding loses detail.
    vae = AutoencoderKLWan.from_pretrained(sdk.weights_folder() / "vae", dtype=torch.float32, local_files_only=True)
    return job.load(WanVACEPipeline, runtime, vae=vae)


def video_size(path: Path) -> tuple[int, int]:
    probed = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:format=format_name",
         "-of", "json", str(path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = json.loads(probed.stdout or "{}") if probed.returncode == 0 else {}
    if not found.get("streams"):
        raise ValueError("the motion input is not a video ffmpeg can read: connect a Motion Source node's output")
    if found["format"]["format_name"] in STILL_FORMATS:
        raise ValueError(
            "the motion input is a still image; motion transfer follows a control video: connect a Motion Source "
            "node on a video"
        )
    return int(found["streams"][0]["width"]), int(found["streams"][0]["height"])


def control_frames(path: Path, width: int, height: int) -> list[Image.Image]:
    """The control video at 16 fps and the output's size, cut to the longest 4k+1 frames it holds."""
    source_width, source_height = video_size(path)
    if abs((source_width / source_height) / (width / height) - 1) > ASPECT_TOLERANCE:
        raise ValueError(
            f"the motion video is {source_width}x{source_height} but the output is {width}x{height}, another shape: "
            f"set width and height to the motion's aspect ratio ({source_width / source_height:.2f}:1) or crop "
            "the source video"
        )
    decoded = subprocess.run(
        ["ffmpeg", "-v", "error", "-nostdin", "-i", str(path), "-map", "0:v:0",
         "-vf", f"fps={FPS},scale={width}:{height}:flags=bicubic", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=False,
    )  # fmt: skip
    if decoded.returncode != 0:
        raise ValueError(f"ffmpeg could not decode the motion video: {decoded.stderr.decode()[-300:]}")
    pixels = np.frombuffer(decoded.stdout, dtype=np.uint8)
    count = pixels.size // (width * height * 3)
    if count > MAX_FRAMES:
        raise ValueError(
            f"the motion video is {count / FPS:.1f} s ({count} frames at {FPS} fps); Wan VACE makes at most "
            f"{MAX_FRAMES} frames ({MAX_FRAMES // FPS} s): trim the source video"
        )
    if count < MIN_FRAMES:
        raise ValueError(
            f"the motion video has {count} frame(s) at {FPS} fps; motion transfer needs at least {MIN_FRAMES}: "
            "use a longer source video"
        )
    used = count - (count - 1) % FRAME_STEP
    frames = pixels[: used * width * height * 3].reshape(used, height, width, 3)
    return [Image.fromarray(frame) for frame in frames]


def handle(request: sdk.Request, model: job.Loaded) -> None:
    params = request.params
    frames = control_frames(request.path("motion"), params["width"], params["height"])
    with Image.open(request.path("image")) as character:
        reference = character.convert("RGB")
    arguments = {
        "video": frames,
        "reference_images": [reference],
        "prompt": request.inputs["prompt"],
        "negative_prompt": request.inputs.get("negative_prompt") or None,
        "width": params["width"],
        "height": params["height"],
        "num_frames": len(frames),
        "conditioning_scale": params["motion_strength"],
        "num_inference_steps": params["steps"],
        "guidance_scale": params["guidance"],
        "output_type": "np",
    }
    job.make_video(model, request, arguments, FPS)


if __name__ == "__main__":
    sdk.run(handle, load=load)
