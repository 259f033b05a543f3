"""What every diffusers pipeline does around its one library call: device, dtype and memory savers,
loading from the model store, seeded generators, step progress and cancel, PNG/MP4 out, provenance.

Ships in the diffusers stack layer (/opt/studio in its image; the process backend puts this folder on
PYTHONPATH). Pipelines import it beside the SDK; nothing else of the studio.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from function_runner import sdk

LIBRARIES = ("torch", "diffusers", "transformers", "accelerate")
# Progress before the first denoising step (loading, encoding) and after the last (decoding, writing).
DENOISE_START, DENOISE_END = 5.0, 95.0
# Call arguments made of the job's input files (start image, control video, references): the sidecar has those
# files with their hashes already, so the provenance records every other argument.
MEDIA_ARGUMENTS = frozenset({"image", "video", "reference_images"})


class Cancelled(Exception):
    """The runner asked this job to stop; raised between denoising steps."""


@dataclass(frozen=True)
class Runtime:
    """Where and how the model runs: CUDA in half precision when present, else the CPU in fp32."""

    device: str
    dtype: torch.dtype
    savers: tuple[str, ...] = ()
    vram_gb: float | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def dtype_name(self) -> str:
        return str(self.dtype).removeprefix("torch.")


@dataclass(frozen=True)
class Loaded:
    """A loaded pipeline with where it came from and how it runs (what `sdk.run(load=...)` keeps warm)."""

    pipe: Any
    folder: Path
    runtime: Runtime


def memory_savers(vram_gb: float) -> tuple[str, ...]:
    """The manifest's first `resources.memory_savers` rule that holds for a GPU of `vram_gb`."""
    for rule in sdk.manifest()["resources"].get("memory_savers", []):
        if vram_gb <= rule["max_vram_gb"]:
            return tuple(rule["savers"])
    return ()


def choose_runtime(gpu_dtype: torch.dtype = torch.bfloat16) -> Runtime:
    """CUDA (the one GPU the runner exposes) with `gpu_dtype`, fp16 where bf16 is not supported; else CPU fp32."""
    if not torch.cuda.is_available():
        return Runtime(device="cpu", dtype=torch.float32)
    if gpu_dtype is torch.bfloat16 and not torch.cuda.is_bf16_supported():
        gpu_dtype = torch.float16
    vram_gb = torch.cuda.get_device_properties(0).total_memory / 2**30
    return Runtime(device="cuda", dtype=gpu_dtype, savers=memory_savers(vram_gb), vram_gb=round(vram_gb, 1))


def load(pipeline_class: Any, runtime: Runtime, folder: Path | None = None, **kwargs: Any) -> Loaded:
    """`pipeline_class.from_pretrained` from the store (never the hub), placed per the runtime's savers."""
    folder = folder or sdk.weights_folder()
    sdk.progress(1, f"loading {folder.name}")
    pipe = pipeline_class.from_pretrained(folder, dtype=runtime.dtype, local_files_only=True, **kwargs)
    place(pipe, runtime)
    pipe.set_progress_bar_config(disable=True)  # progress goes to the runner as JSON lines instead
    return Loaded(pipe, folder, runtime)


def place(pipe: Any, runtime: Runtime) -> None:
    """Offload keeps only the running model on the GPU (how a 24 GB model fits 12 GB); else all of it moves."""
    if "sequential_cpu_offload" in runtime.savers:
        pipe.enable_sequential_cpu_offload()
    elif "model_cpu_offload" in runtime.savers:
        pipe.enable_model_cpu_offload()
    else:
        pipe.to(runtime.device)
    if "vae_tiling" in runtime.savers:
        pipe.vae.enable_tiling()
    if "vae_slicing" in runtime.savers:
        pipe.vae.enable_slicing()
    if "attention_slicing" in runtime.savers:
        pipe.enable_attention_slicing()


def generator(seed: int) -> torch.Generator:
    """A CPU generator: the same seed gives the same noise on every device (diffusers' advice)."""
    return torch.Generator(device="cpu").manual_seed(seed)


def step_callback(
    start: float = DENOISE_START, end: float = DENOISE_END, label: str = "step"
) -> Callable[[Any, int, Any, dict[str, Any]], dict[str, Any]]:
    """diffusers' callback_on_step_end: the cancel check, then `<label> i/N` progress mapped onto start-end
    (a pipeline that denoises twice gives each pass its own span, so progress only rises).

    N is the pipeline's own count of denoising steps (a scheduler may add one, as PNDM does).
    """

    def on_step(pipe: Any, step: int, _timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        total = int(pipe.num_timesteps)
        if sdk.cancel_requested():
            raise Cancelled(f"cancelled after {label} {step + 1}/{total}")
        done = step + 1
        sdk.progress(start + (end - start) * done / total, f"{label} {done}/{total}")
        return tensors

    return on_step


on_step_end = step_callback()


def provenance(model: Loaded, arguments: dict[str, Any]) -> dict[str, Any]:
    """The take sidecar's `model`: weights and their hash, library versions, device and every call argument."""
    folder, runtime = model.folder, model.runtime
    return {
        "name": folder.name,
        "weights_sha256": sdk.weights_fingerprint(folder),
        "libraries": {name: version(name) for name in LIBRARIES},
        "device": runtime.device if runtime.vram_gb is None else f"{runtime.device} ({runtime.vram_gb} GB)",
        "dtype": runtime.dtype_name,
        "memory_savers": list(runtime.savers),
        "peak_vram_gb": round(torch.cuda.max_memory_allocated() / 2**30, 2) if runtime.device == "cuda" else None,
        "arguments": arguments,
    }


def start_job(model: Loaded) -> None:
    sdk.progress(DENOISE_START, "encoding the prompt")
    if model.runtime.device == "cuda":
        torch.cuda.reset_peak_memory_stats()  # the peak this job reaches, not the worker's


def make_image(
    model: Loaded, request: sdk.Request, arguments: dict[str, Any], recorded: dict[str, Any] | None = None
) -> None:
    """Run the loaded pipeline with the model's own `arguments` plus the seed's generator and the step
    callback, and write its first image as the `image` output with the provenance (plus `recorded`)."""
    start_job(model)
    result = model.pipe(**arguments, generator=generator(request.seed), callback_on_step_end=on_step_end)
    recorded = {**without_images(arguments), "seed": request.seed, **(recorded or {})}
    write_image(result.images[0], provenance(model, recorded))


def make_video(model: Loaded, request: sdk.Request, arguments: dict[str, Any], fps: float) -> None:
    """As make_image, for a video pipeline: its first video as the `video` output, an MP4 at `fps`."""
    start_job(model)
    result = model.pipe(**arguments, generator=generator(request.seed), callback_on_step_end=on_step_end)
    recorded = {**without_images(arguments), "seed": request.seed, "fps": fps}
    write_video(result.frames[0], fps, provenance(model, recorded))


def without_images(arguments: dict[str, Any]) -> dict[str, Any]:
    """The call's arguments as the provenance records them: input media are in the take's sidecar already."""
    return {k: v for k, v in arguments.items() if k not in MEDIA_ARGUMENTS}


def write_image(image: Image.Image, model: dict[str, Any], output: str = "image") -> None:
    sdk.progress(DENOISE_END, "writing PNG")
    image.save(sdk.output_path(f"{output}.png"), format="PNG")
    sdk.write_outputs(
        {output: f"{output}.png"},
        metadata={"width": image.width, "height": image.height, "provenance": model},
    )


def write_video(frames: Sequence[Any], fps: float, model: dict[str, Any], output: str = "video") -> None:
    """H.264 MP4 at the model's own fps, frames piped raw to ffmpeg (in the base image and on the host)."""
    sdk.progress(DENOISE_END, "encoding MP4")
    pixels = np.stack(
        [np.asarray(frame.convert("RGB") if isinstance(frame, Image.Image) else frame) for frame in frames]
    )
    if pixels.dtype != np.uint8:  # diffusers' "np" output: floats in [0, 1]
        pixels = (pixels.clip(0, 1) * 255).round().astype(np.uint8)
    count, height, width, _ = pixels.shape
    target = sdk.output_path(f"{output}.mp4")
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", str(fps), "-i", "-",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "17", "-threads", "1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-movflags", "+faststart", str(target),
    ]  # fmt: skip
    subprocess.run(command, input=pixels.tobytes(), check=True)
    sdk.write_outputs(
        {output: f"{output}.mp4"},
        metadata={"width": width, "height": height, "frames": count, "fps": fps, "provenance": model},
    )


def input_image(request: sdk.Request, name: str, label: str, smallest: int = 64, largest: int = 2048) -> Image.Image:
    """The request's image input `name` in RGB, refused with a sentence if it cannot be read or a side is outside
    `smallest`-`largest` px (the sizes the pipeline's model was made for; the user's `label` for it names it)."""
    pipeline = sdk.manifest()["id"]
    try:
        with Image.open(request.path(name)) as opened:
            image = opened.convert("RGB")
    except (OSError, ValueError) as exc:  # PIL's UnidentifiedImageError is an OSError
        raise ValueError(f"The {label} is not an image {pipeline} can read; connect a PNG or JPEG image.") from exc
    width, height = image.size
    if min(width, height) < smallest or max(width, height) > largest:
        raise ValueError(
            f"The {label} is {width}x{height} px, but {pipeline} takes {smallest} to {largest} px a side; "
            f"{'upscale it' if min(width, height) < smallest else 'downscale or crop it'} first."
        )
    return image


@contextmanager
def lora_loaded(model: Loaded, request: sdk.Request, weight: float) -> Iterator[dict[str, Any]]:
    """The request's `lora` input (an asset's trained version) loaded at `weight` for this job only, then unloaded,
    so a warm model serves the next job as it was; yields what the provenance records of it ({} without one)."""
    if not request.inputs.get("lora"):
        yield {}
        return
    path = request.path("lora")
    model.pipe.load_lora_weights(str(path.parent), weight_name=path.name, adapter_name="asset")
    try:
        model.pipe.set_adapters(["asset"], adapter_weights=[weight])
        yield {"lora": {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "weight": weight}}
    finally:
        model.pipe.unload_lora_weights()
