"""Fixtures for the runner tests: a config over the test pipelines, small sample media."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from function_runner.config import RunnerConfig
from tests.support.runner import TEST_PIPELINES, make_config


@pytest.fixture
def config(tmp_path: Path) -> RunnerConfig:
    # A warm job that never checks for a cancel is killed after this grace (30 s by default).
    return make_config(TEST_PIPELINES, tmp_path, warm_cancel_grace_s=1.0)


@pytest.fixture
def png(tmp_path: Path) -> Path:
    path = tmp_path / "frame.png"
    Image.new("RGB", (16, 9), (200, 40, 40)).save(path)
    return path
