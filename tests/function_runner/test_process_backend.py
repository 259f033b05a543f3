"""The contract suite on the local-process backend."""

from __future__ import annotations

import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from function_runner.config import RunnerConfig
from function_runner.execution import Backend
from function_runner.manifest import find_pipeline, load_pipeline
from function_runner.process_backend import INHERITED_ENV, ProcessBackend, WarmProcess
from function_runner.runner import FunctionRunner
from function_runner.sdk import IO_ENV, MODELS_ENV, RUNNER_PID_ENV
from function_runner.warm import WarmInstance
from schemas.models.run_request import RunRequest
from tests.function_runner.contract import RunnerContract
from tests.support.runner import TEST_PIPELINES


class TestProcessBackend(RunnerContract):
    def make_backend(self, config: RunnerConfig) -> Backend:
        return ProcessBackend(config)

    def instance_is_gone(self, instance: WarmInstance) -> bool:
        assert isinstance(instance, WarmProcess)
        return instance.process.poll() is not None


def test_a_pipeline_virtualenv_is_preferred_to_the_configured_python(config: RunnerConfig, tmp_path: Path) -> None:
    backend = ProcessBackend(config)
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    assert backend.command(pipeline) == [config.python, "main.py"]
    copy = tmp_path / "pipelines" / "contract-probe"
    shutil.copytree(pipeline.folder, copy)
    (copy / ".venv" / "bin").mkdir(parents=True)
    (copy / ".venv" / "bin" / "python").symlink_to(sys.executable)
    assert backend.command(load_pipeline(copy)) == [str(copy / ".venv" / "bin" / "python"), "main.py"]


ENV_PROBE = """
import json, os
from function_runner import sdk

def handle(request, model):
    sdk.output_path("env.json").write_text(json.dumps(sorted(os.environ)))
    sdk.write_outputs({"report": "env.json"})

sdk.run(handle)
"""


def test_a_pipeline_process_sees_an_allow_listed_environment_and_no_secrets(
    config: RunnerConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pipelines" / "env-probe"
    folder.mkdir(parents=True)
    manifest = json.loads((TEST_PIPELINES / "contract-probe" / "pipeline.json").read_text())
    manifest.update(id="env-probe", inputs=[], params={"type": "object"}, image="studio/test-env-probe:local")
    (folder / "pipeline.json").write_text(json.dumps(manifest))
    (folder / "main.py").write_text(ENV_PROBE)
    for name, value in {
        "STUDIO_SECRET_KEY": "s" * 40,
        "STUDIO_DATABASE_URL": "postgresql://studio:pw@db/studio",
        "AWS_SECRET_ACCESS_KEY": "cloud",
        "GIT_ASKPASS_TOKEN": "token",
    }.items():
        monkeypatch.setenv(name, value)
    runner = FunctionRunner(replace(config, pipelines_dir=folder.parent), ProcessBackend(config))
    result = runner.run("env-probe", RunRequest(inputs={}, params={}, seed=0))
    seen = set(json.loads(result.outputs["report"].read_text()))
    allowed = {
        *INHERITED_ENV,
        *("LANG", "PYTHONPATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "HOME", "TMPDIR", "OMP_NUM_THREADS"),
    }
    assert seen - {IO_ENV, MODELS_ENV, RUNNER_PID_ENV} <= allowed
    assert not {"STUDIO_SECRET_KEY", "STUDIO_DATABASE_URL", "AWS_SECRET_ACCESS_KEY", "GIT_ASKPASS_TOKEN"} & seen
