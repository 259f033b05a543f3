"""What every LoRA training pipeline does around its model's own loss: captions from the trigger word, the
reference images as pixels, AdamW over the adapter (optionally with its state offloaded to the CPU), the step loop
with progress, cancel and checkpoints of the whole training state, and resuming from such a checkpoint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import diffusion_job as job
import numpy as np
import torch
from PIL import Image
from safetensors import safe_open
from safetensors.torch import save_file

from function_runner import sdk

TRAIN_START, TRAIN_END = 5.0, 90.0  # progress spans: loading and encoding before, the sample after
CHECKPOINT_FILE, LORA_FILE, SAMPLE_FILE = "checkpoint.safetensors", "lora.safetensors", "sample.png"
# One training step: (step index, noise generator) -> the loss to minimise.
StepLoss = Callable[[int, torch.Generator], torch.Tensor]


def captions(trigger_word: str, extra: list[str], count: int) -> list[str]:
    if len(extra) not in (0, count):
        raise ValueError(f"{len(extra)} captions for {count} images: send one per image (or none)")
    return [", ".join(filter(None, (trigger_word, (extra[i] if extra else "").strip()))) for i in range(count)]


def pixels(path: Path, resolution: int) -> torch.Tensor:
    """The image's centre square at `resolution`, as a VAE takes it: 1x3xHxW in [-1, 1]."""
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    side = min(image.size)
    left, top = (image.width - side) // 2, (image.height - side) // 2
    image = image.crop((left, top, left + side, top + side)).resize((resolution, resolution), Image.Resampling.LANCZOS)
    array = np.asarray(image, dtype=np.float32) / 127.5 - 1.0
    return torch.from_numpy(array).permute(2, 0, 1).unsqueeze(0)


def trainable(model: torch.nn.Module) -> list[torch.nn.Parameter]:
    """The adapter's weights, in fp32 whatever the model's dtype (their small updates need the precision)."""
    weights = [p for p in model.parameters() if p.requires_grad]
    for weight in weights:
        weight.data = weight.data.float()
    return weights


class Optimizer:
    """AdamW over the LoRA weights; with `offload`, its state and a fp32 master copy of the weights live in CPU
    memory and each step runs there (the 12 GB recipe: the GPU holds only the weights and their gradients)."""

    def __init__(self, parameters: list[torch.nn.Parameter], learning_rate: float, offload: bool) -> None:
        self.parameters = parameters
        self.master = [p.detach().to("cpu", copy=True).requires_grad_(True) for p in parameters] if offload else None
        self.inner = torch.optim.AdamW(self.master or parameters, lr=learning_rate, weight_decay=1e-2)

    def step(self) -> None:
        if self.master is not None:
            for master, parameter in zip(self.master, self.parameters, strict=True):
                master.grad = None if parameter.grad is None else parameter.grad.to("cpu")
        self.inner.step()
        self.inner.zero_grad(set_to_none=True)
        if self.master is not None:
            with torch.no_grad():
                for master, parameter in zip(self.master, self.parameters, strict=True):
                    parameter.copy_(master)
                    parameter.grad = None

    def weights(self) -> list[torch.nn.Parameter]:
        """The tensors it updates: the fp32 master copies when its state is offloaded."""
        return self.master or self.parameters


class TrainingState:
    """What a training run is at a step: the LoRA weights (and their fp32 master copies), the optimiser's moments,
    the noise generator and the losses so far. A checkpoint holds all of it, so a resumed run continues exactly
    where the checkpoint was taken (the same noise, the same updates), not merely from its weights."""

    def __init__(self, optimizer: Optimizer, seed: int) -> None:
        self.optimizer = optimizer
        self.noise = torch.Generator(device="cpu").manual_seed(seed)
        self.step = 0
        self.resumed_from = 0  # the step a resumed run started after
        self.losses: list[float] = []

    def save(self, target: Path) -> None:
        """Replaced whole each time (a reader never sees half of it)."""
        tensors = {f"weight.{i}": w.detach().float().cpu().contiguous() for i, w in enumerate(self.optimizer.weights())}
        for index, moments in self.optimizer.inner.state_dict()["state"].items():
            tensors.update({f"adam.{index}.{k}": v.detach().cpu().contiguous() for k, v in moments.items()})
        tensors["noise"] = self.noise.get_state()
        metadata = {"step": str(self.step), "losses": json.dumps(self.losses)}
        partial = target.with_name(f".{target.name}.partial")
        save_file(tensors, str(partial), metadata=metadata)
        partial.replace(target)

    def restore(self, source: Path, steps: int) -> None:
        weights = self.optimizer.weights()
        moments: dict[int, dict[str, torch.Tensor]] = {}
        with safe_open(str(source), framework="pt") as checkpoint:
            metadata, names = checkpoint.metadata() or {}, set(checkpoint.keys())
            shapes = {n: list(checkpoint.get_slice(n).get_shape()) for n in names if n.startswith("weight.")}
            if shapes != {f"weight.{i}": list(w.shape) for i, w in enumerate(weights)}:
                raise ValueError(
                    "the resume checkpoint holds other LoRA weights than this training makes (another rank or "
                    "model?): train again without it"
                )
            with torch.no_grad():
                for index, weight in enumerate(weights):
                    weight.copy_(checkpoint.get_tensor(f"weight.{index}"))
                for master, parameter in zip(self.optimizer.master or [], self.optimizer.parameters, strict=False):
                    parameter.copy_(master)
            for name in names:
                if name.startswith("adam."):
                    _, index, key = name.split(".", 2)
                    moments.setdefault(int(index), {})[key] = checkpoint.get_tensor(name)
            self.noise.set_state(checkpoint.get_tensor("noise"))
        self.optimizer.inner.load_state_dict({**self.optimizer.inner.state_dict(), "state": moments})
        self.step, self.losses = int(metadata.get("step", 0)), json.loads(metadata.get("losses", "[]"))
        self.resumed_from = self.step
        if not 0 < self.step < steps or len(self.losses) != self.step:
            raise ValueError(f"the resume checkpoint is at step {self.step} of {steps}: train again without it")
        sdk.progress(TRAIN_START, f"resuming after training step {self.step}/{steps}")


def train(model: torch.nn.Module, state: TrainingState, step_loss: StepLoss, params: dict[str, Any]) -> list[float]:
    """From the state's step to `steps`: each step's loss minimised and reported, a checkpoint every
    `checkpoint_every` steps (before that step's progress line, so whoever reads it finds the checkpoint there)."""
    steps, every = params["steps"], params["checkpoint_every"]
    model.train()
    for step in range(state.step, steps):
        if sdk.cancel_requested():
            raise job.Cancelled(f"cancelled after training step {step}/{steps}")
        loss = step_loss(step, state.noise)
        loss.backward()
        state.optimizer.step()
        value = round(float(loss.detach()), 6)
        state.losses.append(value)
        done = state.step = step + 1
        if done % every == 0 and done < steps:
            state.save(sdk.output_path(CHECKPOINT_FILE))
        sdk.progress(
            TRAIN_START + (TRAIN_END - TRAIN_START) * done / steps,
            f"training step {done}/{steps}",
            metrics={"loss": value, "training_step": done},
        )
    model.eval()
    sdk.output_path(CHECKPOINT_FILE).unlink(missing_ok=True)  # the final weights supersede it
    return state.losses


def start(model: torch.nn.Module, request: sdk.Request, savers: tuple[str, ...]) -> TrainingState:
    """The optimiser over `model`'s adapter and the state to train from: fresh, or the `resume` input's."""
    optimizer = Optimizer(trainable(model), request.params["learning_rate"], offload="optimizer_cpu_offload" in savers)
    state = TrainingState(optimizer, request.seed)
    if request.inputs.get("resume"):
        state.restore(request.path("resume"), request.params["steps"])
    return state


@torch.no_grad()
def save_sample(pipe: Any, params: dict[str, Any], seed: int, **arguments: Any) -> None:
    """The trigger word rendered by the pipeline whose model carries the trained adapter (`arguments`: the model's
    own, e.g. its guidance)."""
    sdk.progress(TRAIN_END + 2, "rendering a sample")
    result = pipe(
        prompt=params["trigger_word"],
        width=params["resolution"],
        height=params["resolution"],
        num_inference_steps=params["sample_steps"],
        generator=job.generator(seed),
        callback_on_step_end=job.step_callback(TRAIN_END + 2, 99, "sample step"),
        **arguments,
    )
    image: Image.Image = result.images[0]
    image.save(sdk.output_path(SAMPLE_FILE), format="PNG")


def write_result(
    model: job.Loaded,
    request: sdk.Request,
    state: TrainingState,
    images: list[Path],
    captions: list[str],
    target_modules: list[str],
) -> None:
    """The saved LoRA and sample as the run's outputs, with what the version's sidecar records of the training."""
    arguments = {k: v for k, v in request.params.items() if k != "captions"}
    sdk.write_outputs(
        {"lora": LORA_FILE, "sample": SAMPLE_FILE},
        metadata={
            "losses": state.losses,
            "captions": captions,
            "dataset_sha256": [hashlib.sha256(path.read_bytes()).hexdigest() for path in images],
            "target_modules": target_modules,
            "resumed_from_step": state.resumed_from,
            "provenance": job.provenance(model, {**arguments, "seed": request.seed}),
        },
    )
