"""`studio pipelines new`: a working pipeline folder from a template (manifest, code, samples, test)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from function_runner.errors import RunnerError
from function_runner.manifest import NOT_PIPELINES, load_pipeline

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{1,62}[a-z0-9]$")

DOCKERFILE = """\
# Built FROM the studio base (Python 3, numpy, Pillow, ffmpeg, espeak-ng, the SDK); `studio pipelines
# build` passes BASE_IMAGE. Weights are never copied in: they are mounted read-only at /models.
ARG BASE_IMAGE=studio/base:local
FROM ${BASE_IMAGE}
COPY . /pipeline/
"""

MAIN = '''\
"""{title}: replace this with the model's code; keep the three SDK calls."""

from function_runner import sdk


def handle(request: sdk.Request, model: object) -> None:
    sdk.progress(10, "starting")
    text = request.inputs["prompt"]
    result = text.upper() if request.params["shout"] else text
    sdk.output_path("text.txt").write_text(result, encoding="utf-8")
    sdk.progress(90, "writing")
    sdk.write_outputs({{"text": "text.txt"}}, metadata={{"characters": len(result)}})


if __name__ == "__main__":
    sdk.run(handle)
'''

TEST = '''\
"""{id}: the sample runs on both backends and gives what the manifest promises."""

from __future__ import annotations

from collections.abc import Callable

from function_runner.runner import CompletedRun

SampleRun = Callable[[str], CompletedRun]


def test_sample_output(sample: SampleRun) -> None:
    result = sample("{id}")
    assert result.outputs["text"].read_text() == "HELLO FROM THE SAMPLE"
    assert result.metadata == {{"characters": 21}}
'''


class ScaffoldError(RunnerError):
    """The id is invalid or the folder already exists."""


def manifest_for(pipeline_id: str, title: str) -> dict[str, object]:
    return {
        "schema_version": 1,
        "id": pipeline_id,
        "version": "0.1.0",
        "title": title,
        "description": f"{title}. Describe what the model does, and label CPU pipelines as CPU.",
        "category": "Generate",
        "task_type": "generate-image",
        "inputs": [{"name": "prompt", "type": "String", "required": True, "widget": "textarea"}],
        "outputs": [{"name": "text", "type": "String"}],
        "params": {
            "type": "object",
            "properties": {"shout": {"type": "boolean", "default": True, "x-widget": "checkbox"}},
            "additionalProperties": False,
        },
        "resources": {"gpu": False, "cpus": 1, "memory_mb": 256},
        "image": f"studio/pipeline-{pipeline_id}:local",
        "entrypoint": ["python3", "main.py"],
        "deterministic": True,
        "timeout_s": 600,
    }


def create_pipeline(pipelines_dir: Path, pipeline_id: str, title: str | None = None) -> Path:
    """Write pipelines_dir/<id>/ and check it loads; returns the folder."""
    if not ID_PATTERN.match(pipeline_id) or pipeline_id in NOT_PIPELINES:
        raise ScaffoldError(
            f"'{pipeline_id}' is not a valid pipeline id: use 3-64 lower-case letters, digits, '.' and '-', "
            "starting and ending with a letter or digit (e.g. t2i-my-model)."
        )
    folder = pipelines_dir / pipeline_id
    if folder.exists():
        raise ScaffoldError(f"{folder} already exists; pick another id or edit that pipeline.")
    title = title or pipeline_id.replace("-", " ").capitalize()
    (folder / "samples").mkdir(parents=True)
    files = {
        "pipeline.json": json.dumps(manifest_for(pipeline_id, title), indent=2) + "\n",
        "Dockerfile": DOCKERFILE,
        "main.py": MAIN.format(title=title),
        "samples/request.json": json.dumps(
            {"inputs": {"prompt": "hello from the sample"}, "params": {"shout": True}, "seed": 0}
        )
        + "\n",
        f"test_{pipeline_id.replace('-', '_').replace('.', '_')}.py": TEST.format(id=pipeline_id),
    }
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    load_pipeline(folder)
    return folder
