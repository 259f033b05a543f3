"""What the spandrel pipelines (sr-spandrel, restore-spandrel) share: which network file of the model store,
loading it with spandrel (ESRGAN, SwinIR, HAT, DAT, SCUNet, NAFNet, FBCNN …, detected from the state dict),
tiled inference that fits the GPU, and images or videos frame by frame (fps and audio kept) with provenance.

Ships in the diffusers stack layer beside diffusion_job.py, whose runtime, provenance and PNG writer it reuses.
"""

from __future__ import annotations

import json
import subprocess
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

import diffusion_job as job
import numpy as np
import torch
from PIL import Image

from function_runner import sdk


def _without_torchvision() -> None:
    """Let `import spandrel` work where torchvision cannot run (beside the CPU torch build it fails to import).

    spandrel imports every architecture when it is imported; only RestoreFormer (face restoration) and LaMa
    (inpainting) import torchvision, and only call it when they run. Those two purposes are refused below
    before anything runs, so the stand-in never does work: anything that touches it raises saying why.
    """
    try:
        import torchvision.transforms.functional  # noqa: F401  (a GPU host may have a working one)
    except (ImportError, RuntimeError, OSError):
        for name in [name for name in sys.modules if name == "torchvision" or name.startswith("torchvision.")]:
            del sys.modules[name]  # a half-imported torchvision must not shadow the stand-in
        message = "torchvision is not installed in this stack (it does not run beside the CPU torch build)"
        functional = types.ModuleType("torchvision.transforms.functional")
        functional.__getattr__ = lambda name: _Unavailable(f"{message}: torchvision.transforms.functional.{name}")  # type: ignore[method-assign]
        transforms = types.ModuleType("torchvision.transforms")
        transforms.functional = functional  # type: ignore[attr-defined]
        package = types.ModuleType("torchvision")
        package.transforms = transforms  # type: ignore[attr-defined]
        sys.modules.update(
            {"torchvision": package, "torchvision.transforms": transforms, functional.__name__: functional}
        )


class _Unavailable:
    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, *_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(self.message)

    def __getattr__(self, _name: str) -> Any:
        raise RuntimeError(self.message)


_without_torchvision()
import spandrel  # noqa: E402  (after the stand-in above)

NETWORK_SUFFIXES = (".pth", ".safetensors", ".ckpt", ".pt")
# Input pixels each tile sees beyond its own edge: beyond a convolutional network's reach (tiled = untiled, tested)
# and several attention windows of SwinIR/HAT (8-16 px), so seams do not show.
OVERLAP = 32
# Tile edge (input pixels) by the GPU's memory; the CPU takes whole frames up to the largest. A starting point
# for ESRGAN-size networks, not measured per architecture (see benchmarks/gpu_pipelines.py).
TILES = ((8, 256), (12, 384), (24, 512), (48, 768))
LARGEST_TILE = 1024
FRAMES_START, FRAMES_END = 5.0, 95.0


@dataclass
class Networks:
    """What `sdk.run(load=...)` keeps warm: the runtime and the last network loaded (jobs may name another)."""

    runtime: job.Runtime
    loaded: dict[Path, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Network:
    descriptor: Any  # spandrel.ImageModelDescriptor
    path: Path
    runtime: job.Runtime
    tile: int

    @property
    def scale(self) -> int:
        return int(self.descriptor.scale)


def load() -> Networks:
    return Networks(job.choose_runtime(gpu_dtype=torch.float16))


def network_file(name: str, folder: Path | None = None) -> Path:
    """The network file `name` in a model store folder (default: the one the manifest's first `weights` entry
    names); an empty name picks the folder's only network. Every problem is a sentence naming the fix."""
    folder = folder or sdk.weights_folder()
    files = sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix.lower() in NETWORK_SUFFIXES)
    store_name = folder.name
    if not name:
        if len(files) == 1:
            return folder / files[0]
        raise ValueError(
            f"the model store folder '{store_name}' holds {len(files)} network files "
            f"({', '.join(files) or 'none'}); set 'network' to one of them"
            + ("" if files else f", after adding one with `studio models add {store_name} FOLDER`")
        )
    path = folder / name
    if "/" in name or name.startswith(".") or not path.resolve().is_relative_to(folder.resolve()):
        raise ValueError(f"network {name!r} must be a file name inside the model store folder '{store_name}'")
    if name not in files:
        raise ValueError(
            f"network {name!r} is not in the model store folder '{store_name}' "
            f"(it holds: {', '.join(files) or 'none'}); pick one of them, or add the file to that folder"
        )
    return path


def network(model: Networks, request: sdk.Request, purposes: tuple[str, ...]) -> Network:
    """The request's network, loaded (or reused) on the runtime's device, with its tile size."""
    path = network_file(str(request.params.get("network") or ""))
    tile = int(request.params.get("tile") or 0) or tile_for(model.runtime)
    return Network(loaded(model, path, purposes), path, model.runtime, tile)


def loaded(model: Networks, path: Path, purposes: tuple[str, ...]) -> Any:
    """The network file's spandrel descriptor, loaded once on the runtime's device (one network in memory)."""
    if path not in model.loaded:
        sdk.progress(1, f"loading {path.name}")
        model.loaded.clear()
        model.loaded[path] = _load(path, model.runtime, purposes)
    return model.loaded[path]


def _load(path: Path, runtime: job.Runtime, purposes: tuple[str, ...]) -> Any:
    try:
        descriptor = spandrel.ModelLoader().load_from_file(path)
    except spandrel.UnsupportedModelError as exc:
        raise ValueError(
            f"{path.name} is not a network architecture spandrel {spandrel.__version__} recognises "
            "(ESRGAN, SwinIR, HAT, DAT, SCUNet, NAFNet, FBCNN …); use a file of a supported architecture"
        ) from exc
    except Exception as exc:  # a damaged or foreign file: pickle, safetensors or shape errors
        raise ValueError(f"{path.name} could not be read as a network state dict ({exc}); use another file") from exc
    if not isinstance(descriptor, spandrel.ImageModelDescriptor) or descriptor.purpose not in purposes:
        raise ValueError(
            f"{path.name} is a {descriptor.architecture.name} network for {descriptor.purpose}, but this pipeline "
            f"runs {' or '.join(purposes)} networks; pick another file"
        )
    use_half = runtime.device == "cuda" and descriptor.supports_half
    descriptor.to(runtime.device)
    if use_half:
        descriptor.half()
    descriptor.eval()
    return descriptor


def tile_for(runtime: job.Runtime) -> int:
    """The tile edge that fits the GPU's memory (the tier); the CPU works on frames up to LARGEST_TILE whole."""
    if runtime.vram_gb is None:
        return LARGEST_TILE
    return next((tile for max_gb, tile in TILES if runtime.vram_gb <= max_gb), LARGEST_TILE)


@torch.inference_mode()
def apply(net: Network, pixels: np.ndarray) -> np.ndarray:
    """An RGB uint8 frame through the network, tile by tile: each tile runs with OVERLAP pixels of context and
    only its own part of the output is kept, so the result matches an untiled run. Returns float32 in [0, 1]."""
    dtype = next(net.descriptor.model.parameters()).dtype
    image = torch.from_numpy(pixels).to(net.runtime.device, dtype).permute(2, 0, 1).unsqueeze(0) / 255
    _, _, height, width = image.shape
    scale, tile = net.scale, net.tile
    if height <= tile and width <= tile:
        result = net.descriptor(image)
    else:
        result = image.new_zeros((1, net.descriptor.output_channels, height * scale, width * scale))
        for top in range(0, height, tile):
            for left in range(0, width, tile):
                bottom, right = min(top + tile, height), min(left + tile, width)
                y0, x0 = max(top - OVERLAP, 0), max(left - OVERLAP, 0)
                piece = net.descriptor(
                    image[:, :, y0 : min(bottom + OVERLAP, height), x0 : min(right + OVERLAP, width)]
                )
                result[:, :, top * scale : bottom * scale, left * scale : right * scale] = piece[
                    :, :, (top - y0) * scale : (bottom - y0) * scale, (left - x0) * scale : (right - x0) * scale
                ]
    frame: np.ndarray = result[0].permute(1, 2, 0).float().cpu().numpy()
    return frame


def to_uint8(frame: np.ndarray) -> np.ndarray:
    return (frame.clip(0, 1) * 255).round().astype(np.uint8)


def resample(pixels: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Lanczos to the exact target size (the step from a network's native scale to the factor asked for)."""
    if (pixels.shape[1], pixels.shape[0]) == size:
        return pixels
    return np.asarray(Image.fromarray(pixels).resize(size, Image.LANCZOS))


def provenance(net: Network, arguments: dict[str, Any]) -> dict[str, Any]:
    """diffusion_job's provenance of the store folder, plus the network file, its architecture and spandrel."""
    folder = net.path.parent
    recorded = job.provenance(job.Loaded(net.descriptor, folder, net.runtime), arguments)
    recorded["libraries"]["spandrel"] = version("spandrel")
    sha256 = sdk.model_record(folder).get("files", {}).get(net.path.name, {}).get("sha256")
    recorded["network"] = {
        "file": net.path.name,
        "sha256": sha256,
        "architecture": net.descriptor.architecture.name,
        "purpose": net.descriptor.purpose,
        "scale": net.scale,
        "tile": net.tile,
    }
    return recorded


def start(net: Network) -> None:
    if net.runtime.device == "cuda":
        torch.cuda.reset_peak_memory_stats()  # the peak this job reaches, not the worker's


def write_image(pixels: np.ndarray, recorded: dict[str, Any]) -> None:
    job.write_image(Image.fromarray(pixels), recorded)


# -- video -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: str  # ffprobe's exact rate, e.g. "30000/1001"
    frames: int


def probe_video(path: Path) -> VideoInfo:
    if path.stat().st_size == 0:
        raise ValueError("the video input is empty (0 bytes); connect a video file with frames in it")
    command = [
        "ffprobe", "-v", "error", "-select_streams", "v:0", "-count_packets",
        "-show_entries", "stream=width,height,r_frame_rate,nb_read_packets", "-of", "json", str(path),
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    streams = json.loads(completed.stdout or "{}").get("streams") if completed.returncode == 0 else None
    if not streams:
        reason = completed.stderr.strip().splitlines()[-1:] or ["it has no video stream"]
        raise ValueError(f"the video input is not a video ffmpeg can read ({reason[0]}); connect a video file")
    stream = streams[0]
    return VideoInfo(
        int(stream["width"]), int(stream["height"]), stream["r_frame_rate"], int(stream["nb_read_packets"])
    )


def decoded_frames(path: Path, info: VideoInfo) -> Iterator[np.ndarray]:
    """Every frame as RGB uint8, one at a time (a long 4K video never sits in memory whole)."""
    command = ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v:0", "-fps_mode", "passthrough"]
    command += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    decoder = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert decoder.stdout is not None
    size = info.width * info.height * 3
    try:
        while chunk := decoder.stdout.read(size):
            if len(chunk) < size:
                break
            yield np.frombuffer(chunk, dtype=np.uint8).reshape(info.height, info.width, 3)
    finally:
        decoder.kill()
        decoder.wait()


def map_video(
    source: Path, size: Callable[[VideoInfo], tuple[int, int]], transform: Callable[[np.ndarray], np.ndarray]
) -> VideoInfo:
    """Each frame of `source` through `transform` into the `video` output: an H.264 MP4 of `size`, at the source's
    own frame rate, with the source's audio copied as it is. Progress per frame; a cancel stops between frames."""
    info = probe_video(source)
    width, height = size(info)
    target = sdk.output_path("video.mp4")
    command = [
        "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
        "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}", "-r", info.fps, "-i", "-",
        "-i", str(source), "-map", "0:v", "-map", "1:a?", "-c:a", "copy",
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "17", "-threads", "1",
        "-fflags", "+bitexact", "-flags:v", "+bitexact", "-movflags", "+faststart", str(target),
    ]  # fmt: skip
    encoder = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert encoder.stdin is not None and encoder.stderr is not None
    done = 0
    sdk.progress(FRAMES_START, "reading frames")
    try:
        for frame in decoded_frames(source, info):
            if sdk.cancel_requested():
                raise job.Cancelled(f"cancelled after frame {done}/{info.frames}")
            encoder.stdin.write(np.ascontiguousarray(transform(frame)).tobytes())
            done += 1
            sdk.progress(
                FRAMES_START + (FRAMES_END - FRAMES_START) * done / max(info.frames, done),
                f"frame {done}/{info.frames}",
            )
    finally:
        encoder.stdin.close()
        error = encoder.stderr.read().decode(errors="replace")
        code = encoder.wait()
    if code != 0:
        raise RuntimeError(f"encoding the MP4 failed: {error[-800:]}")
    return VideoInfo(width, height, info.fps, done)


def copy_video(source: Path) -> VideoInfo:
    """The source's video and audio streams as they are (no re-encoding) into the `video` output."""
    info = probe_video(source)
    command = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source), "-map", "0:v:0", "-map", "0:a?"]
    command += ["-c", "copy", "-movflags", "+faststart", str(sdk.output_path("video.mp4"))]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise RuntimeError(f"copying the video into an MP4 failed: {completed.stderr[-800:]}")
    return info


def write_video_result(info: VideoInfo, recorded: dict[str, Any]) -> None:
    numerator, _, denominator = info.fps.partition("/")
    fps = float(numerator) / float(denominator or 1)
    sdk.write_outputs(
        {"video": "video.mp4"},
        metadata={
            "width": info.width,
            "height": info.height,
            "frames": info.frames,
            "fps": fps,
            "provenance": recorded,
        },
    )
