"""Fixtures for project services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI


@pytest.fixture(autouse=True)
def _close_database_connections(request: pytest.FixtureRequest) -> Iterator[None]:
    # Pooled PostgreSQL connections warn when garbage-collected unclosed (warnings are errors here).
    app: FastAPI | None = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    if app is not None:
        app.state.engine.dispose()
