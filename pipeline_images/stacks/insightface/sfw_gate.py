"""The SFW gate: a transformers image classifier from the model store rates a gated pipeline's inputs and output.

The studio's configuration, not the node, decides whether the gate runs and where it refuses: the runner writes
`gates.sfw.threshold` into the request of a pipeline whose manifest says `gated: ["sfw"]` (no threshold there:
the studio switched the gate off). A refusal exits with a sentence, so nothing is written and nothing committed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoImageProcessor, AutoModelForImageClassification
from transformers.utils import logging as transformers_logging

from function_runner import sdk

NSFW_LABEL = "nsfw"
BATCH = 16  # frames rated per forward pass: a ViT-base batch of 16 at 224 px is ~0.2 GB of activations


@dataclass(frozen=True)
class Classifier:
    """The loaded classifier and which of its labels means not safe for work."""

    processor: Any
    model: Any
    nsfw_index: int
    device: torch.device


def load_classifier(folder: Path, device: torch.device) -> Classifier:
    """A transformers image-classification folder (config.json, weights, preprocessor_config.json)."""
    transformers_logging.set_verbosity_error()  # the stderr tail is what a user reads of a failed run
    transformers_logging.disable_progress_bar()
    # The slow (PIL + numpy) processor: the fast one needs torchvision, which does not run beside the CPU torch.
    processor = AutoImageProcessor.from_pretrained(folder, local_files_only=True, backend="pil")
    model = AutoModelForImageClassification.from_pretrained(folder, local_files_only=True).to(device).eval()
    labels = {int(index): str(label).lower() for index, label in model.config.id2label.items()}
    matches = [index for index, label in labels.items() if label == NSFW_LABEL]
    if len(matches) != 1:
        raise SystemExit(
            f"The SFW gate's classifier in {folder} has the labels {sorted(labels.values())}, none of them "
            f"'{NSFW_LABEL}'. Put an NSFW image classifier there (e.g. `studio models pull {folder.name}`)."
        )
    return Classifier(processor, model, matches[0], device)


@torch.inference_mode()
def nsfw_scores(classifier: Classifier, images: Sequence[np.ndarray]) -> list[float]:
    """The classifier's NSFW probability of each RGB uint8 image."""
    scores: list[float] = []
    for start in range(0, len(images), BATCH):
        batch = classifier.processor(images=list(images[start : start + BATCH]), return_tensors="pt")
        logits = classifier.model(pixel_values=batch["pixel_values"].to(classifier.device)).logits
        scores.extend(logits.float().softmax(dim=-1)[:, classifier.nsfw_index].tolist())
    return scores


@dataclass(frozen=True)
class Gate:
    """The gate of one job: refuses any image rated over the studio's threshold."""

    classifier: Classifier
    threshold: float

    def check(self, what: str, images: Sequence[np.ndarray], first_frame: int | None = None) -> None:
        """`images`: BGR uint8, as OpenCV reads and writes them; `first_frame`: the number of images[0] in a video
        checked a batch at a time."""
        rgb = [image[:, :, ::-1] for image in images]
        for number, score in enumerate(nsfw_scores(self.classifier, rgb), start=first_frame or 1):
            if score > self.threshold:
                where = f" (frame {number})" if first_frame is not None or len(images) > 1 else ""
                raise SystemExit(
                    f"The SFW gate refused the {what}{where}: its safety classifier rates it {score:.2f} not safe "
                    f"for work, over the studio's threshold {self.threshold:.2f}. Use other media; only the "
                    "studio's configuration (STUDIO_SFW_THRESHOLD, STUDIO_SFW_GATE) changes the gate."
                )


def gate_for(request: sdk.Request, classifier: Classifier) -> Gate | None:
    """The job's gate as the runner set it; None where the studio's configuration switched it off."""
    settings = request.gates.get("sfw")
    if not isinstance(settings, dict):
        return None
    return Gate(classifier, float(settings["threshold"]))
