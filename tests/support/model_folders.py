"""Model folders in diffusers layout without torch: only the layout and the bytes' hashes matter to the store."""

from __future__ import annotations

import json
from pathlib import Path


def diffusers_folder(parent: Path, name: str = "stable-diffusion-v1-5") -> Path:
    """`parent/name/` with model_index.json, a unet and a vae (a few hundred bytes of stand-in weights)."""
    folder = parent / name
    index = {"_class_name": "StableDiffusionPipeline", "unet": ["diffusers", "UNet2DConditionModel"]}
    index |= {"vae": ["diffusers", "AutoencoderKL"], "safety_checker": [None, None]}
    for component in ("unet", "vae"):
        (folder / component).mkdir(parents=True)
        (folder / component / "config.json").write_text(json.dumps({"component": component}))
        (folder / component / "diffusion_pytorch_model.safetensors").write_bytes(component.encode() * 1000)
    (folder / "model_index.json").write_text(json.dumps(index))
    return folder
