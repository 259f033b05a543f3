"""The one contract suite every backend passes (subclassed per backend in test_*_backend.py)."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from function_runner.config import RunnerConfig
from function_runner.errors import (
    ContractViolationError,
    InputError,
    PipelineCancelledError,
    PipelineFailedError,
    PipelineTimeoutError,
)
from function_runner.execution import Backend, CancelToken
from function_runner.runner import FunctionRunner
from function_runner.warm import WarmInstance, WarmPool
from schemas.models.run_progress import RunProgress
from schemas.models.run_request import RunRequest
from tests.support.runner import TEST_PIPELINES


class RunnerContract:
    """Subclasses provide `make_backend(config)`."""

    def make_backend(self, config: RunnerConfig) -> Backend:
        raise NotImplementedError

    @pytest.fixture
    def runner(self, config: RunnerConfig) -> Iterator[FunctionRunner]:
        runner = FunctionRunner(config, self.make_backend(config))
        yield runner
        runner.close()

    def probe(self, runner: FunctionRunner, mode: str, **inputs: object) -> object:
        return runner.run("contract-probe", RunRequest(inputs={"text": "hi", **inputs}, params={"mode": mode}, seed=0))

    # one-shot runs -------------------------------------------------------------------------------

    def test_run_delivers_outputs_metadata_and_progress(self, runner: FunctionRunner, png: Path) -> None:
        events: list[RunProgress] = []
        result = runner.run(
            "contract-probe",
            RunRequest(inputs={"text": "a red frame", "image": str(png), "count": 3}, seed=42, params={}),
            on_progress=events.append,
        )
        assert [(e.progress, e.step) for e in events] == [
            (25.0, "step 1"),
            (50.0, "step 2"),
            (75.0, "step 3"),
        ]
        report = json.loads(result.outputs["report"].read_text())
        assert report["text"] == "a red frame"
        assert report["seed"] == 42
        assert report["image_bytes"] == png.stat().st_size
        assert result.metadata == {"mode": "ok"}
        assert result.outputs["report"].parent == result.job_dir / "out"
        request = json.loads((result.job_dir / "in" / "request.json").read_text())
        assert request == {
            "inputs": {"text": "a red frame", "image": "image.png", "count": 3},
            "params": {"mode": "ok"},
            "seed": 42,
        }
        assert (result.job_dir / "in" / "image.png").read_bytes() == png.read_bytes()
        assert result.backend == runner.backend.name

    def test_crash_is_a_failure_carrying_the_stderr_tail(self, runner: FunctionRunner) -> None:
        with pytest.raises(PipelineFailedError) as caught:
            self.probe(runner, "crash")
        assert caught.value.exit_code == 3
        assert "the model exploded" in caught.value.stderr_tail
        assert "contract-probe" in caught.value.message and "exit code 3" in caught.value.message

    def test_hang_is_killed_at_the_manifest_timeout(self, runner: FunctionRunner) -> None:
        started = time.monotonic()
        with pytest.raises(PipelineTimeoutError, match="timeout_s of 3 s"):
            self.probe(runner, "hang")
        assert 3 <= time.monotonic() - started < 10

    def test_cancel_kills_the_run(self, runner: FunctionRunner) -> None:
        token = CancelToken()
        progressed = threading.Event()
        errors: list[Exception] = []

        def run() -> None:
            try:
                runner.run(
                    "contract-probe",
                    RunRequest(inputs={"text": "x"}, params={"mode": "hang"}, seed=0),
                    on_progress=lambda _: progressed.set(),
                    token=token,
                )
            except Exception as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        assert progressed.wait(10)
        cancelled_at = time.monotonic()
        token.cancel()
        thread.join(10)
        assert not thread.is_alive()
        assert time.monotonic() - cancelled_at < 2.5
        assert len(errors) == 1 and isinstance(errors[0], PipelineCancelledError)

    @pytest.mark.parametrize(
        ("mode", "fragment"),
        [
            ("no-result", "wrote no out/result.json"),
            ("garbage-result", "is not valid JSON"),
            ("missing-output", "output 'report' (String) is missing from out/result.json"),
            ("escape", "is outside out/"),
        ],
    )
    def test_broken_results_are_contract_violations(self, runner: FunctionRunner, mode: str, fragment: str) -> None:
        with pytest.raises(ContractViolationError) as caught:
            self.probe(runner, mode)
        assert fragment in caught.value.message
        assert caught.value.message.startswith("Pipeline 'contract-probe'")

    @pytest.mark.parametrize(
        ("inputs", "params", "fragment"),
        [
            ({"text": "x", "colour": "red"}, {}, "unknown input 'colour'"),
            ({}, {}, "required input 'text' (String) is missing"),
            ({"text": 7}, {}, "input 'text' expects a String"),
            ({"text": "x", "count": 11}, {}, "input 'count' expects a Integer"),
            ({"text": "x"}, {"mode": "explode"}, "param 'mode' is invalid"),
        ],
    )
    def test_bad_requests_fail_before_launch(
        self, runner: FunctionRunner, inputs: dict[str, object], params: dict[str, object], fragment: str
    ) -> None:
        with pytest.raises(InputError, match=re.escape(fragment)):
            runner.run("contract-probe", RunRequest(inputs=inputs, params=params, seed=0))

    def test_a_file_of_the_wrong_socket_type_is_refused(self, runner: FunctionRunner, tmp_path: Path) -> None:
        audio = tmp_path / "voice.wav"
        audio.write_bytes(b"RIFF....WAVE")
        with pytest.raises(InputError, match=r"input 'image' expects a Image .* but got 'voice.wav'"):
            runner.run("contract-probe", RunRequest(inputs={"text": "x", "image": str(audio)}, params={}, seed=0))

    def test_nothing_is_written_outside_the_job_dir(self, runner: FunctionRunner, png: Path) -> None:
        roots = [runner.config.jobs_dir.parent, TEST_PIPELINES]
        before = {path for root in roots for path in root.rglob("*")}
        result = runner.run("contract-probe", RunRequest(inputs={"text": "x", "image": str(png)}, params={}, seed=0))
        created = {path for root in roots for path in root.rglob("*")} - before - {runner.config.jobs_dir}
        outside = {path for path in created if path != result.job_dir and result.job_dir not in path.parents}
        assert (result.job_dir / "out" / "report.json") in created
        assert outside == set()

    def test_a_warm_job_can_be_cancelled(self, runner: FunctionRunner) -> None:
        token = CancelToken()
        progressed = threading.Event()
        errors: list[Exception] = []

        def run() -> None:
            try:
                runner.run(
                    "contract-warm",
                    RunRequest(inputs={}, params={"mode": "hang"}, seed=0),
                    on_progress=lambda _: progressed.set(),
                    token=token,
                )
            except Exception as exc:
                errors.append(exc)

        thread = threading.Thread(target=run)
        thread.start()
        assert progressed.wait(10)
        token.cancel()
        thread.join(10)
        assert len(errors) == 1 and isinstance(errors[0], PipelineCancelledError)
        assert self.pool(runner).instances() == {}  # the killed instance is not handed the next job
        assert self.warm(runner)["load_id"]

    # warm instances --------------------------------------------------------------------------------

    def warm(self, runner: FunctionRunner, mode: str = "ok") -> dict[str, object]:
        result = runner.run("contract-warm", RunRequest(inputs={}, params={"mode": mode}, seed=0))
        return dict(result.metadata)

    def test_warm_instance_loads_the_model_once(self, runner: FunctionRunner) -> None:
        first, second, third = self.warm(runner), self.warm(runner), self.warm(runner)
        assert first["load_id"] == second["load_id"] == third["load_id"]

    def test_warm_job_failure_keeps_the_worker(self, runner: FunctionRunner) -> None:
        before = self.warm(runner)
        with pytest.raises(PipelineFailedError) as caught:
            self.warm(runner, "fail")
        assert "bad prompt for this model" in caught.value.stderr_tail
        assert self.warm(runner)["load_id"] == before["load_id"]

    def test_crashed_warm_worker_is_replaced_and_the_job_retried_once(self, runner: FunctionRunner) -> None:
        before = self.warm(runner)
        after = self.warm(runner, "crash-once")
        assert after["load_id"] != before["load_id"]
        with pytest.raises(PipelineFailedError, match="died twice"):
            self.warm(runner, "crash-always")
        assert self.warm(runner)["load_id"] not in (before["load_id"], after["load_id"])

    def test_a_model_that_never_loads_fails_with_the_load_error(self, runner: FunctionRunner) -> None:
        with pytest.raises(PipelineFailedError) as caught:
            runner.run("contract-warm-broken", RunRequest(inputs={}, params={}, seed=0))
        assert "died twice (while loading or serving this job)" in caught.value.message
        assert "weights not found: /models/demo/unet.safetensors" in caught.value.stderr_tail

    def test_hung_warm_job_times_out_and_the_next_job_gets_a_new_worker(self, runner: FunctionRunner) -> None:
        before = self.warm(runner)
        with pytest.raises(PipelineTimeoutError):
            self.warm(runner, "hang")
        assert self.warm(runner)["load_id"] != before["load_id"]

    def test_idle_warm_workers_stop(self, config: RunnerConfig) -> None:
        runner = FunctionRunner(config, self.make_backend(replace(config, warm_idle_s=0.3)))
        try:
            self.warm(runner)
            instances = list(self.pool(runner).instances().values())
            assert len(instances) == 1
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and self.pool(runner).instances():
                time.sleep(0.05)
            assert self.pool(runner).instances() == {}
            assert self.instance_is_gone(instances[0])
        finally:
            runner.close()

    def pool(self, runner: FunctionRunner) -> WarmPool:
        pool = getattr(runner.backend, "pool")  # noqa: B009 - both backends have one; Backend does not
        assert isinstance(pool, WarmPool)
        return pool

    def instance_is_gone(self, instance: WarmInstance) -> bool:
        raise NotImplementedError
