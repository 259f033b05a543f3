"""write_revision (`studio db revision`): the next numbered file, generated from the models, formatted, runnable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from alembic import command
from sqlalchemy import Column, Integer, Table, create_engine, inspect
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from server.db.migrate import MIGRATIONS_DIR, head_revision, migrations_config, write_revision


def test_autogenerate_writes_the_next_revision_which_builds_the_new_table(tmp_path: Path) -> None:
    migrations = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__pycache__"))
    notes = Table(  # a model a developer just added (removed again: SQLModel.metadata is shared)
        "scratch_notes",
        SQLModel.metadata,
        Column("id", Integer, primary_key=True),
        Column("body", AutoString(200), nullable=False),
    )
    try:
        path = write_revision("add scratch notes", autogenerate=True, migrations_dir=migrations)
    finally:
        SQLModel.metadata.remove(notes)

    number = f"{int(head_revision()) + 1:04d}"
    assert path == migrations / "versions" / f"{number}_add_scratch_notes.py"
    source = path.read_text()
    assert f'revision = "{number}"' in source and f'down_revision = "{head_revision()}"' in source
    assert 'op.create_table(\n        "scratch_notes",' in source
    assert 'sa.Column("body", sa.String(200), nullable=False)' in source and "sqlmodel" not in source
    # The post-write hooks ran: the file is already as ruff wants it.
    for check in (["check"], ["format", "--check"]):
        ruff = subprocess.run([sys.executable, "-m", "ruff", *check, str(path)], capture_output=True, text=True)
        assert ruff.returncode == 0, ruff.stdout + ruff.stderr

    engine = create_engine(f"sqlite:///{tmp_path / 'studio.db'}")
    try:
        with engine.begin() as connection:
            command.upgrade(migrations_config(connection, migrations), "head")
            assert "scratch_notes" in inspect(connection).get_table_names()
    finally:
        engine.dispose()
