"""The node classes the stand-in offers: ComfyUI's core SD 1.5 nodes by name, inputs and return types, whose
"model" is a seeded pattern (no weights exist here) so outputs are real, deterministic PNGs."""

from __future__ import annotations

import hashlib
import io
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image
from PIL.PngImagePlugin import PngInfo

MAX_SEED = 0xFFFFFFFFFFFFFFFF
SAMPLERS = ["euler", "euler_ancestral", "dpmpp_2m", "ddim"]
SCHEDULERS = ["normal", "karras", "simple"]
CHECKPOINTS = ["v1-5-pruned-emaonly.safetensors"]

# (type, options): what object_info lists for an input, as ComfyUI does ("INT", {"min": …}) or ([choices],).
InputSpec = tuple[Any, ...]


class Interrupted(Exception):
    """POST /interrupt reached the running node (ComfyUI: InterruptProcessingException)."""


@dataclass
class RunContext:
    """What a running node may use: the prompt's folders, progress and preview reporting, the interrupt flag."""

    input_dir: Path
    output_dir: Path
    temp_dir: Path
    prompt: dict[str, Any]
    node_id: str
    progress: Callable[[int, int, bytes | None], None]
    interrupted: Callable[[], bool]
    step_delay_s: float


@dataclass(frozen=True)
class NodeClass:
    name: str
    category: str
    required: dict[str, InputSpec]
    returns: tuple[str, ...]
    run: Callable[[RunContext, dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any] | None]]
    output_node: bool = False
    validate: Callable[[RunContext, dict[str, Any]], str | None] | None = None
    display_name: str = ""
    optional: dict[str, InputSpec] = field(default_factory=dict)

    def info(self) -> dict[str, Any]:
        """The node's object_info entry."""
        inputs = {"required": {k: list(v) for k, v in self.required.items()}}
        if self.optional:
            inputs["optional"] = {k: list(v) for k, v in self.optional.items()}
        return {
            "input": inputs,
            "input_order": {key: list(value) for key, value in inputs.items()},
            "output": list(self.returns),
            "output_is_list": [False] * len(self.returns),
            "output_name": list(self.returns),
            "name": self.name,
            "display_name": self.display_name or self.name,
            "description": "",
            "python_module": "nodes",
            "category": self.category,
            "output_node": self.output_node,
        }


def _pattern(width: int, height: int, key: bytes) -> np.ndarray:
    """A deterministic picture for `key`: a gradient whose colours and angle come from its hash."""
    digest = hashlib.sha256(key).digest()
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = digest[0] / 255 * np.pi
    ramp = (np.cos(angle) * xs / max(width, 1) + np.sin(angle) * ys / max(height, 1) + 1) / 2
    low, high = (np.frombuffer(digest[i : i + 3], np.uint8).astype(np.float32) for i in (1, 4))
    return (low + (high - low) * ramp[..., None]).clip(0, 255).astype(np.uint8)


def _jpeg(pixels: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _checkpoint(_: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    name = values["ckpt_name"]
    return ({"model": name}, {"clip": name}, {"vae": name}), None


def _encode_text(_: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    return ({"text": values["text"]},), None


def _empty_latent(_: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    return ({"width": values["width"], "height": values["height"], "pixels": None},), None


def _vae_encode(_: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    pixels = values["pixels"]
    return ({"width": pixels.shape[1], "height": pixels.shape[0], "pixels": pixels},), None


def _ksampler(context: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    latent = values["latent_image"]
    key = json.dumps(
        [values["seed"], values["positive"]["text"], values["negative"]["text"], values["cfg"], values["sampler_name"]]
    ).encode()
    target = _pattern(latent["width"], latent["height"], key)
    start = latent["pixels"] if latent["pixels"] is not None else np.zeros_like(target)
    steps = values["steps"]
    current = start
    for step in range(steps):
        if context.interrupted():
            raise Interrupted()
        mix = values["denoise"] * (step + 1) / steps
        current = (start * (1 - mix) + target * mix).astype(np.uint8)
        context.progress(step + 1, steps, _jpeg(current))
        _wait(context, context.step_delay_s)
    return ({"width": latent["width"], "height": latent["height"], "pixels": current},), None


def _wait(context: RunContext, seconds: float) -> None:
    """A sampler step's time, during which an interrupt is noticed (as ComfyUI checks between model calls)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if context.interrupted():
            raise Interrupted()
        time.sleep(min(0.02, seconds))


def _vae_decode(_: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    return (values["samples"]["pixels"],), None


def _save(folder_type: str) -> Callable[[RunContext, dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any]]]:
    def save(context: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
        folder = context.output_dir if folder_type == "output" else context.temp_dir
        prefix = values.get("filename_prefix", "ComfyUI")
        counter = 1 + len(list(folder.glob(f"{prefix}_*_.png")))
        name = f"{prefix}_{counter:05d}_.png"
        info = PngInfo()
        info.add_text("prompt", json.dumps(context.prompt))  # as ComfyUI does: the image carries its workflow
        Image.fromarray(values["images"]).save(folder / name, pnginfo=info)
        return (), {"images": [{"filename": name, "subfolder": "", "type": folder_type}]}

    return save


def _load_image(context: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    with Image.open(context.input_dir / values["image"]) as image:  # a broken file raises, as in ComfyUI
        pixels = np.asarray(image.convert("RGB"))
    return (pixels, np.zeros(pixels.shape[:2], np.float32)), None


def _image_exists(context: RunContext, values: dict[str, Any]) -> str | None:
    name = values["image"]
    if name.startswith("/") or ".." in name or not (context.input_dir / name).is_file():
        return f"Invalid image file: {name}"
    return None


def _invert(_: RunContext, values: dict[str, Any]) -> tuple[tuple[Any, ...], None]:
    return (255 - values["image"],), None


INT = "INT"
FLOAT = "FLOAT"
STRING = "STRING"
NODE_CLASSES: dict[str, NodeClass] = {
    node.name: node
    for node in (
        NodeClass("CheckpointLoaderSimple", "loaders", {"ckpt_name": (CHECKPOINTS,)}, ("MODEL", "CLIP", "VAE"),
                  _checkpoint, display_name="Load Checkpoint"),
        NodeClass("CLIPTextEncode", "conditioning", {"text": (STRING, {"multiline": True}), "clip": ("CLIP",)},
                  ("CONDITIONING",), _encode_text, display_name="CLIP Text Encode (Prompt)"),
        NodeClass("EmptyLatentImage", "latent",
                  {"width": (INT, {"default": 512, "min": 16, "max": 16384, "step": 8}),
                   "height": (INT, {"default": 512, "min": 16, "max": 16384, "step": 8}),
                   "batch_size": (INT, {"default": 1, "min": 1, "max": 4096})},
                  ("LATENT",), _empty_latent, display_name="Empty Latent Image"),
        NodeClass("VAEEncode", "latent", {"pixels": ("IMAGE",), "vae": ("VAE",)}, ("LATENT",), _vae_encode,
                  display_name="VAE Encode"),
        NodeClass("KSampler", "sampling",
                  {"model": ("MODEL",),
                   "seed": (INT, {"default": 0, "min": 0, "max": MAX_SEED, "control_after_generate": True}),
                   "steps": (INT, {"default": 20, "min": 1, "max": 10000}),
                   "cfg": (FLOAT, {"default": 8.0, "min": 0.0, "max": 100.0, "step": 0.1, "round": 0.01}),
                   "sampler_name": (SAMPLERS,), "scheduler": (SCHEDULERS,),
                   "positive": ("CONDITIONING",), "negative": ("CONDITIONING",), "latent_image": ("LATENT",),
                   "denoise": (FLOAT, {"default": 1.0, "min": 0.0, "max": 1.0, "step": 0.01})},
                  ("LATENT",), _ksampler),
        NodeClass("VAEDecode", "latent", {"samples": ("LATENT",), "vae": ("VAE",)}, ("IMAGE",), _vae_decode,
                  display_name="VAE Decode"),
        NodeClass("SaveImage", "image", {"images": ("IMAGE",), "filename_prefix": (STRING, {"default": "ComfyUI"})},
                  (), _save("output"), output_node=True, display_name="Save Image"),
        NodeClass("PreviewImage", "image", {"images": ("IMAGE",)}, (), _save("temp"), output_node=True,
                  display_name="Preview Image"),
        NodeClass("LoadImage", "image", {"image": ([], {"image_upload": True})}, ("IMAGE", "MASK"), _load_image,
                  validate=_image_exists, display_name="Load Image"),
        NodeClass("ImageInvert", "image", {"image": ("IMAGE",)}, ("IMAGE",), _invert, display_name="Invert Image"),
    )
}  # fmt: skip
