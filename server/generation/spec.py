"""What a generation task runs, decided once when it is started and kept in its row: the placement, the plan's
steps (params as each pipeline takes them) and where each step's takes go."""

from __future__ import annotations

from typing import Any, Literal

from server.dispatch.placement import Placement
from server.graph.plan import Step
from server.jobs.kinds import JobKind, JobSpec
from server.takes.naming import ShotSlot


class GenerationSpec(JobSpec):
    kind: Literal[JobKind.GENERATE_SHOT] = JobKind.GENERATE_SHOT
    placement: Placement
    steps: list[Step]  # in the order they run; the node the user clicked last
    slots: dict[str, ShotSlot]  # node id -> the folder its takes go to

    @property
    def target(self) -> Step:
        return self.steps[-1]


def pipeline_params(step: Step, params_schema: dict[str, Any] | None, aspect_ratio: str) -> dict[str, Any]:
    """The params the step's pipeline (or template) takes, by its params' JSON Schema: a node's own settings (shot
    id, task type, label…) are not the pipeline's, and the project's framing goes to one that takes an aspect
    ratio."""
    accepted = (params_schema or {}).get("properties", {})
    params = {name: value for name, value in step.params.items() if name in accepted}
    if "aspect_ratio" in accepted and "aspect_ratio" not in params:
        params["aspect_ratio"] = aspect_ratio
    return params
