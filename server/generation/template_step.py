"""A template step on the worker: the template as it was when the task was placed, run on this worker's ComfyUI."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from function_runner.comfyui.runner import ComfyUIRun, ComfyUIRunner
from function_runner.comfyui.template import Template
from function_runner.execution import CancelToken
from schemas.models.run_progress import RunProgress
from server.config import Settings
from server.errors import ConflictError, InvalidInputError
from server.graph.context import template_dirs
from server.graph.plan import Step
from server.graph.templates import discover_templates


class TemplateChangedError(ConflictError):
    code = "template_changed"


def comfyui_runner(settings: Settings) -> ComfyUIRunner:
    if not settings.comfyui_url:
        raise InvalidInputError(
            "This worker has no ComfyUI (STUDIO_COMFYUI_URL is unset), so it cannot run pipeline templates; set it "
            "and restart the worker, or leave the task for a worker that has one."
        )
    return ComfyUIRunner(settings.comfyui_url, settings.jobs_dir)


def planned_template(settings: Settings, repo_root: Path, step: Step) -> Template:
    """The step's template from this worker's checkout and Library, refused when it changed since the task was
    placed (its digest is the step's cache key's ground: a different workflow would be a different take)."""
    assert step.pipeline is not None
    found = discover_templates(template_dirs(settings, repo_root)).templates.get(step.pipeline.pipeline_id)
    if found is None:
        raise InvalidInputError(
            f"Template '{step.pipeline.pipeline_id}' of node '{step.node_id}' is no longer in the project or the "
            "Library; import it again, or give the node another type.",
            field="node_id",
        )
    if found.digest != step.pipeline.image_digest:
        raise TemplateChangedError(
            f"Template '{found.id}' changed after this task was started (node '{step.node_id}'); generate again to "
            "run the template as it is now."
        )
    return found


def run_template(
    runner: ComfyUIRunner,
    template: Template,
    values: Mapping[str, Any],
    step: Step,
    on_progress: Callable[[RunProgress], None],
    token: CancelToken,
) -> ComfyUIRun:
    """`values`: the step's inputs as host paths or values, and its params; the node's seed drives the template's
    seed inputs, so the same seed makes the same take."""

    def report(percent: float, doing: str) -> None:
        on_progress(RunProgress(progress=percent, step=doing[:200]))

    return runner.run(template, {**values, **step.params}, step.seed, on_progress=report, token=token)
