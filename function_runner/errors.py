"""Every way a pipeline invocation can fail, as one exception family with sentences for the user."""

from __future__ import annotations


class RunnerError(Exception):
    """Base of every function_runner error; `message` is a sentence naming pipeline, field and fix."""

    def __init__(self, message: str, *, pipeline_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pipeline_id = pipeline_id


class ManifestError(RunnerError):
    """pipeline.json is missing, is not JSON, or breaks the pipeline manifest schema."""


class PipelineNotFoundError(RunnerError):
    """No folder with that pipeline id under the pipelines directory."""


class InputError(RunnerError):
    """The request does not match the manifest: unknown, missing or mistyped input, bad param."""


class ImageMissingError(RunnerError):
    """The pipeline's Docker image has not been built on this engine."""


class StackError(RunnerError):
    """A library stack's recipe is missing or malformed, or its wheels or virtualenv could not be made."""


class EngineUnavailableError(RunnerError):
    """No Docker engine answers at the configured address."""


class HardeningError(RunnerError):
    """A container was about to start without the isolation every pipeline run must have."""


class PipelineFailedError(RunnerError):
    """The pipeline exited non-zero; `stderr_tail` holds its last stderr lines."""

    def __init__(self, message: str, *, pipeline_id: str, exit_code: int, stderr_tail: str) -> None:
        super().__init__(message, pipeline_id=pipeline_id)
        self.exit_code = exit_code
        self.stderr_tail = stderr_tail


class ContractViolationError(RunnerError):
    """The pipeline exited 0 but broke the job-directory contract (result.json, outputs)."""


class PipelineTimeoutError(RunnerError):
    """The pipeline ran longer than its manifest's timeout_s and was killed."""


class PipelineCancelledError(RunnerError):
    """The run was cancelled and its process or container killed."""


class TemplateError(RunnerError):
    """A pipeline template (template.json + workflow.json) is missing, unreadable or inconsistent."""


class ComfyUIUnavailableError(RunnerError):
    """No ComfyUI answers at the configured address, or it broke off mid-run."""


class ComfyUIMissingNodesError(RunnerError):
    """The ComfyUI server lacks node classes the template's workflow uses; `missing` names them."""

    def __init__(self, message: str, *, pipeline_id: str, missing: list[str]) -> None:
        super().__init__(message, pipeline_id=pipeline_id)
        self.missing = missing


class ComfyUIWorkflowError(RunnerError):
    """ComfyUI refused the prompt or a node failed while running; names the ComfyUI node id and class."""

    def __init__(self, message: str, *, pipeline_id: str, node_id: str | None, node_class: str | None) -> None:
        super().__init__(message, pipeline_id=pipeline_id)
        self.node_id = node_id
        self.node_class = node_class
