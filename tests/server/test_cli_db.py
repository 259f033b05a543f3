"""`studio db upgrade|current` on a workspace database: new, made by the release, behind, and newer."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from typer.testing import CliRunner, Result

from server.cli import app
from server.config import Settings
from server.db.engine import create_db_engine
from server.db.migrate import head_revision, migrations_config
from tests.support.release_schema import create_release_schema


@pytest.fixture
def workspace_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("STUDIO_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("STUDIO_DATABASE_URL", raising=False)
    return Settings(_env_file=None).resolved_database_url  # type: ignore[call-arg]


def studio(*args: str) -> tuple[int, str]:
    result: Result = CliRunner().invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


def test_a_new_database_is_created_then_left_alone(workspace_database: str) -> None:
    head = head_revision()
    assert studio("db", "current") == (
        0,
        f"no revision: a new database, or one made before migrations (`studio db upgrade` → {head})",
    )
    assert studio("db", "upgrade") == (0, f"database upgraded: new database → {head}")
    assert studio("db", "upgrade") == (0, f"database already at revision {head} (the newest)")
    assert studio("db", "current") == (0, f"{head} (the newest)")


def test_a_release_database_and_one_behind_are_upgraded(workspace_database: str) -> None:
    engine = create_db_engine(workspace_database)
    with engine.begin() as connection:
        create_release_schema(connection)
    head = head_revision()
    assert studio("db", "upgrade") == (0, f"database upgraded: 0001 → {head}")

    with engine.begin() as connection:
        command.downgrade(migrations_config(connection), "0001")
    engine.dispose()
    assert studio("db", "current") == (0, f"0001 (the newest is {head}: run `studio db upgrade`)")
    assert studio("db", "upgrade") == (0, f"database upgraded: 0001 → {head}")


def test_a_database_from_a_newer_studio_is_refused_with_a_sentence(workspace_database: str) -> None:
    assert studio("db", "upgrade")[0] == 0
    engine = create_db_engine(workspace_database)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    engine.dispose()
    refusal = (
        f"error: This database was upgraded by a newer studio (revision 0999); upgrade the studio "
        f"(this one knows revisions up to {head_revision()})."
    )

    assert studio("db", "upgrade") == (1, refusal)
    assert studio("users", "list") == (1, refusal)
    assert studio("db", "current") == (
        0,
        f"0999 (unknown: upgraded by a newer studio; this one knows revisions up to {head_revision()})",
    )
