"""The job-dir contract pieces that need no backend: progress lines, result checking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from function_runner.config import NOBODY
from function_runner.errors import ContractViolationError
from function_runner.jobs import parse_progress, prepare_job, read_result
from function_runner.manifest import Pipeline, find_pipeline
from schemas import describe_errors
from schemas.models.pipeline_manifest import GatedEnum, Port
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import Gates, RunRequest, SfwGate
from schemas.models.socket_type import SocketType
from tests.support.runner import TEST_PIPELINES


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"progress": 40, "step": "denoise"}', RunProgress(progress=40, step="denoise")),
        ('{"progress": 0}', RunProgress(progress=0, step="")),
        ('{"progress": 100.0, "step": 3}', RunProgress(progress=100, step="3")),
        ('{"progress": 101}', None),
        ('{"progress": true}', None),
        ('{"progress": "50"}', None),
        ("[1, 2]", None),
        ("{broken", None),
        ("plain log line", None),
        ("", None),
    ],
)
def test_progress_lines(line: str, expected: RunProgress | None) -> None:
    assert parse_progress(line) == expected


@pytest.mark.parametrize(
    "line",
    ['{"progress": 40, "step": "denoise"}', '{"progress": 101}', '{"progress": "50"}', '{"step": "x"}'],
)
def test_progress_parsing_agrees_with_the_schema(line: str) -> None:
    assert (parse_progress(line) is not None) == (describe_errors("run-progress", json.loads(line)) == [])


def prepared(tmp_path: Path) -> Path:
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    job = tmp_path / "job"
    job.mkdir()
    prepare_job(pipeline, RunRequest(inputs={"text": "x"}, params={}, seed=0), job, NOBODY, sfw_threshold=None)
    return job


def test_prepared_job_has_defaults_and_belongs_to_the_pipeline_s_user_alone(tmp_path: Path) -> None:
    job = prepared(tmp_path)
    request = json.loads((job / "in" / "request.json").read_text())
    assert request == {"inputs": {"text": "x", "count": 2}, "params": {"mode": "ok"}, "seed": 0}
    for item in (job, job / "in", job / "out", job / "in" / "request.json"):
        status = item.stat()
        # The container runs as nobody and writes out/; no one else may even read the job (tests run as root).
        assert (status.st_uid, status.st_gid) == (65534, 65534), item
        assert status.st_mode & 0o777 == (0o700 if item.is_dir() else 0o600), item


def test_undeclared_outputs_and_wrong_file_types_are_violations(tmp_path: Path) -> None:
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    job = prepared(tmp_path)
    (job / "out" / "r.json").write_text("{}")
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {"report": "r.json", "extra": "r.json"}}))
    with pytest.raises(ContractViolationError, match="undeclared output"):
        read_result(pipeline, job)
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {"report": "r.json"}, "metadata": []}))
    with pytest.raises(
        ContractViolationError,
        match=r"breaks the run-result schema: field metadata: \[\] is not of type 'object'",
    ):
        read_result(pipeline, job)
    (job / "out" / "empty.json").write_text("")
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {"report": "empty.json"}}))
    with pytest.raises(ContractViolationError, match="missing or empty"):
        read_result(pipeline, job)


def test_a_symlink_out_of_the_job_is_refused(tmp_path: Path) -> None:
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    job = prepared(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("host file")
    (job / "out" / "link.json").symlink_to(secret)
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {"report": "link.json"}}))
    with pytest.raises(ContractViolationError, match="outside out/"):
        read_result(pipeline, job)


def probe_with(**changes: object) -> Pipeline:
    """contract-probe with manifest fields changed (a gate, optional outputs)."""
    pipeline = find_pipeline(TEST_PIPELINES, "contract-probe")
    return Pipeline(pipeline.manifest.model_copy(update=changes), pipeline.folder)


def test_a_gated_pipeline_gets_the_studio_s_gate_whatever_the_request_carried(tmp_path: Path) -> None:
    gated = probe_with(gated=[GatedEnum.sfw])
    smuggled = RunRequest(inputs={"text": "x"}, params={}, seed=0, gates=Gates(sfw=SfwGate(threshold=1.0)))
    for threshold, expected in ((0.3, {"sfw": {"threshold": 0.3}}), (None, None)):
        job = tmp_path / f"job-{threshold}"
        job.mkdir()
        prepare_job(gated, smuggled, job, NOBODY, sfw_threshold=threshold)
        request = json.loads((job / "in" / "request.json").read_text())
        assert request.get("gates") == expected
        assert describe_errors("run-request", request) == []
    ungated = tmp_path / "ungated"
    ungated.mkdir()
    prepare_job(probe_with(), smuggled, ungated, NOBODY, sfw_threshold=0.3)
    assert "gates" not in json.loads((ungated / "in" / "request.json").read_text())


def test_an_optional_output_may_be_left_out_but_not_every_output(tmp_path: Path) -> None:
    optional = [Port(name="image", type=SocketType.Image, optional=True)]
    pipeline = probe_with(outputs=[*optional, Port(name="video", type=SocketType.Video, optional=True)])
    job = prepared(tmp_path)
    (job / "out" / "a.png").write_bytes(b"\x89PNG")
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {"image": "a.png"}}))
    outputs, _ = read_result(pipeline, job)
    assert outputs == {"image": (job / "out" / "a.png").resolve()}
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {}}))
    with pytest.raises(ContractViolationError, match="names none of the outputs image, video"):
        read_result(pipeline, job)
    required = probe_with(outputs=[*optional, Port(name="video", type=SocketType.Video)])
    (job / "out" / "result.json").write_text(json.dumps({"outputs": {"image": "a.png"}}))
    with pytest.raises(ContractViolationError, match="output 'video' \\(Video\\) is missing"):
        read_result(required, job)
