"""The execution plan a compiled node yields: its steps in order, each with resolved inputs."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from schemas.models.node_type import Executor
from schemas.models.socket_type import SocketType


class InputSource(StrEnum):
    WIDGET = "widget"  # a value typed into the node
    DEFAULT = "default"  # the port's default
    ASSET = "asset"  # the files of an Asset node
    PIPELINE = "pipeline"  # a Pipeline node's choice
    TAKE = "take"  # an existing take of an upstream node
    STEP = "step"  # the output of an earlier step of this plan


class PipelineKind(StrEnum):
    MANIFEST = "manifest"  # a pipeline image run by the Function Runner (docker or process)
    TEMPLATE = "template"  # a pipeline template: a ComfyUI workflow run on a ComfyUI server


class StepStatus(StrEnum):
    PLANNED = "planned"
    REUSED = "reused"


@dataclass(frozen=True)
class ResolvedInput:
    name: str
    socket_type: SocketType
    source: InputSource
    # widget/default: the value; asset: list of paths; pipeline: pipeline id; take: path; step: node id
    value: Any
    # Identity of the content; None while it depends on a step that has not run.
    content_hash: str | None
    node_id: str | None = None


@dataclass(frozen=True)
class PipelineChoice:
    pipeline_id: str  # the pipeline's id, or the template's
    version: str
    image: str | None  # the pipeline's image; None for a template
    # The pipeline image's digest, or a template's (its mapping and workflow): what a take's cache key rests on.
    image_digest: str
    deterministic: bool
    requested_quality: str | None
    # The quality tier actually used: differs from the requested one after a fallback ("cpu" included).
    used_quality: str | None
    # How it was chosen: a connected Pipeline node, the node type itself, or the quality map tier.
    chosen_by: str
    fallback: str | None = None
    kind: PipelineKind = PipelineKind.MANIFEST


@dataclass(frozen=True)
class Step:
    node_id: str
    node_type: str
    executor: Executor
    pipeline: PipelineChoice | None
    params: dict[str, Any]
    seed: int
    inputs: tuple[ResolvedInput, ...]
    # sha256 for a deterministic step whose inputs are all known; None otherwise.
    cache_key: str | None
    status: StepStatus
    # For a reused step: the take it reuses.
    take: str | None
    reason: str


@dataclass(frozen=True)
class ExecutionPlan:
    target: str
    steps: list[Step]  # what must run, in topological order; the target last
    reused: list[Step]  # upstream steps whose existing take is used

    @property
    def step_ids(self) -> list[str]:
        return [step.node_id for step in self.steps]
