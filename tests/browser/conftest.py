"""The browser tests: the whole chain and Debian's Chromium (tests/support/chromium.py, one per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.server.generation.conftest import chain  # noqa: F401  (the whole chain, reused)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    return folder
