"""Takes shared by the assembly tests: made once per module (ffmpeg encodes are the slow part)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.assembly.media import TakeRepo, take_repo


@pytest.fixture(scope="module")
def takes(tmp_path_factory: pytest.TempPathFactory) -> tuple[TakeRepo, list[str]]:
    """Three takes in a git repository: red 30 frames, green 40, blue 36 (24 fps, keyframe every 12)."""
    repo = take_repo(tmp_path_factory.mktemp("assembly") / "project")
    paths = [repo.add_take(10, "red", 30), repo.add_take(20, "green", 40), repo.add_take(30, "blue", 36)]
    return repo, paths


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path
