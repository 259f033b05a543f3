"""What a training task runs, decided when it is started and kept in its row."""

from __future__ import annotations

from typing import Any, Literal

from server.dispatch.placement import Placement
from server.jobs.kinds import JobKind, JobSpec


class TrainingSpec(JobSpec):
    kind: Literal[JobKind.TRAIN_LORA] = JobKind.TRAIN_LORA
    asset_id: str
    placement: Placement  # its pipeline_id is the training pipeline
    base_model: str  # the model store folder the pipeline trains on
    params: dict[str, Any]  # the pipeline's params but the dataset's (trigger word, captions: read when it runs)
    seed: int
