"""Fresh databases on both backends: every schema test runs on SQLite and on a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server.db.engine import create_db_engine
from tests.support.postgres import PostgresServer

NewDatabase = Callable[[], str]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> NewDatabase:
    """Makes an empty database on the test's backend and returns its URL."""
    made: list[str] = []

    def make() -> str:
        name = f"db{len(made)}"
        if request.param == "postgres":
            server: PostgresServer = request.getfixturevalue("postgres")
            url = server.create_database(f"{name}_{abs(hash(tmp_path)) % 10**12}")
        else:
            url = f"sqlite:///{tmp_path / name}.db"
        made.append(url)
        return url

    return make


@pytest.fixture
def open_engine() -> Iterator[Callable[[str], Engine]]:
    """create_db_engine, with every engine disposed at the end of the test."""
    engines: list[Engine] = []

    def open_(url: str) -> Engine:
        engines.append(create_db_engine(url))
        return engines[-1]

    yield open_
    for engine in engines:
        engine.dispose()
