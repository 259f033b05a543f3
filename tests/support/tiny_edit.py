"""A tiny FLUX LoRA for the Kontext pipelines' tests: the file train-lora-flux writes (peft adapters on the
attention projections, saved by diffusers' save_lora_weights), with random rather than trained weights, so it
changes the image without a training run. Built on the tiny FLUX transformer's shape (tests/support/tiny_models.py).

Run it with the diffusers stack's interpreter: `<stack venv>/bin/python -m tests.support.tiny_edit DEST.safetensors`
(tests use `tiny_flux_lora`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from diffusers import FluxKontextPipeline
from peft import LoraConfig
from peft.utils import get_peft_model_state_dict

from tests.support.tiny_models import flux_parts

TARGET_MODULES = ["to_k", "to_q", "to_v", "to_out.0"]  # train-lora-flux's


def flux_lora(dest: Path) -> None:
    torch.manual_seed(1)
    transformer = flux_parts(guidance_embeds=True)["transformer"]
    # init_lora_weights=False: both LoRA matrices random (a fresh trained-from-zero LoRA would be a no-op).
    transformer.add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights=False, target_modules=TARGET_MODULES))
    FluxKontextPipeline.save_lora_weights(
        dest.parent, transformer_lora_layers=get_peft_model_state_dict(transformer), weight_name=dest.name
    )


if __name__ == "__main__":
    flux_lora(Path(sys.argv[1]))
