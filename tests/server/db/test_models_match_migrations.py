"""The drift test: the tables in server/db/tables.py are exactly what the migrations build, on both backends."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData
from sqlmodel import SQLModel

from server.db.migrate import MIGRATIONS_DIR, migrations_config, upgrade_database
from server.db.tables import stored_as_string
from tests.server.db.conftest import NewDatabase

FIX = 'write the revision that makes them agree: `.venv/bin/studio db revision -m "what changed" --autogenerate`'


class GrownState(StrEnum):
    QUEUED = "queued"
    WAITING_FOR_GPU = "waiting_for_gpu"  # longer than any value of TaskState: the column must grow


def drift(engine: Engine, models: MetaData) -> list[Any]:
    with engine.connect() as connection:
        differences: list[Any] = compare_metadata(MigrationContext.configure(connection), models)
        return differences


def test_the_models_match_the_migrations_at_head(
    new_database: NewDatabase, open_engine: Callable[[str], Engine]
) -> None:
    engine = open_engine(new_database())
    upgrade_database(engine)
    differences = drift(engine, SQLModel.metadata)
    assert differences == [], f"server/db/tables.py and the migrations differ: {differences}; {FIX}"


def test_the_drift_check_sees_a_new_column_and_a_longer_enum_value(
    new_database: NewDatabase, open_engine: Callable[[str], Engine]
) -> None:
    """A changed copy of the models: what a developer who forgets the revision would have."""
    engine = open_engine(new_database())
    upgrade_database(engine)
    changed = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["projects"].append_column(Column("archived", Integer, nullable=True))
    changed.tables["tasks"].c.state.type = stored_as_string(GrownState)

    differences = drift(engine, changed)
    added = [entry for entry in differences if isinstance(entry, tuple)]
    assert [(kind, table, column.name) for kind, _, table, column in added] == [("add_column", "projects", "archived")]
    modified = [entry[0] for entry in differences if isinstance(entry, list)]
    assert [(kind, table, column) for kind, _, table, column, *_ in modified] == [("modify_type", "tasks", "state")]


def test_the_revisions_form_one_numbered_line() -> None:
    scripts = ScriptDirectory.from_config(migrations_config())
    chain = [(script.revision, script.down_revision) for script in reversed(list(scripts.walk_revisions()))]
    numbers = [f"{number:04d}" for number in range(1, len(chain) + 1)]
    assert chain == list(zip(numbers, [None, *numbers[:-1]], strict=True)), (
        f"the revisions {chain} are not one line 0001 → 0002 → …: renumber the newest after main's "
        "(file name, revision, down_revision; server/db/migrations/README.md)"
    )
    files = sorted(path.name for path in (MIGRATIONS_DIR / "versions").glob("*.py"))
    assert [name[:4] for name in files] == numbers
