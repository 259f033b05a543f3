"""function_runner/runner.py: a caller's label starts its job dirs' names, so a rerun finds what a killed run left."""

from __future__ import annotations

import pytest

from function_runner.runner import job_prefix


def test_a_label_starts_the_job_dir_name_after_the_pipeline_id() -> None:
    assert job_prefix("train-lora-sd1.5", "0f3c9a2e-task") == "train-lora-sd1.5-0f3c9a2e-task-"
    assert job_prefix("train-lora-sd1.5", None) == "train-lora-sd1.5-"


@pytest.mark.parametrize("label", ["../up", "a/b", "", "x" * 65, "with space", "*"])
def test_a_label_that_could_leave_or_widen_the_jobs_folder_is_refused(label: str) -> None:
    with pytest.raises(ValueError, match="is not 1-64 letters, digits"):
        job_prefix("p", label)
