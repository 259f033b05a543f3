"""Running a pipeline on its sample request (pipeline_images/<id>/samples/request.json)."""

from __future__ import annotations

import json

from function_runner.errors import RunnerError
from function_runner.jobs import is_file_socket
from function_runner.manifest import Pipeline
from function_runner.runner import CompletedRun, FunctionRunner, ProgressCallback
from schemas.models.run_request import RunRequest

SAMPLE_REQUEST = "samples/request.json"


class SampleMissingError(RunnerError):
    """The pipeline ships no samples/request.json to test with."""


def sample_request(pipeline: Pipeline) -> RunRequest:
    """The sample request, with file inputs resolved relative to samples/."""
    path = pipeline.folder / SAMPLE_REQUEST
    if not path.is_file():
        raise SampleMissingError(
            f"Pipeline '{pipeline.id}' has no {SAMPLE_REQUEST}. Add one with tiny sample inputs "
            '({"inputs": {...}, "params": {...}, "seed": 0}; file inputs relative to samples/).',
            pipeline_id=pipeline.id,
        )
    document = json.loads(path.read_text(encoding="utf-8"))
    ports = {port.name: port for port in pipeline.manifest.inputs}
    inputs = {}
    for name, value in document.get("inputs", {}).items():
        port = ports.get(name)
        if port and is_file_socket(port.type):
            value = [str(path.parent / v) for v in value] if isinstance(value, list) else str(path.parent / value)
        inputs[name] = value
    return RunRequest(inputs=inputs, params=document.get("params", {}), seed=int(document.get("seed", 0)))


def run_sample(runner: FunctionRunner, pipeline_id: str, on_progress: ProgressCallback | None = None) -> CompletedRun:
    """Run the pipeline on its samples; the runner checks the outputs against the manifest."""
    pipeline = runner.pipeline(pipeline_id)
    return runner.run(pipeline_id, sample_request(pipeline), on_progress=on_progress)
