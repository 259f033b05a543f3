"""Bringing a database to this studio's schema: Alembic migrations, run under a lock by every process that starts."""

from __future__ import annotations

import importlib.util
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from server.errors import StudioError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# Every database made before migrations existed has this schema (SQLModel's create_all); revision 0001 recreates it.
RELEASE_REVISION = "0001"
VERSION_TABLE = "alembic_version"
# The PostgreSQL advisory lock every starting studio process takes: any fixed bigint ("studiodb" in ASCII).
POSTGRES_LOCK_KEY = 0x73747564696F6462


class DatabaseNewerThanStudioError(StudioError):
    code = "database_newer_than_studio"


class UnrecognisedDatabaseError(StudioError):
    code = "database_unrecognised"


@dataclass(frozen=True)
class Upgrade:
    before: str | None  # None: the database was new
    after: str


def migrations_config(connection: Connection | None = None, migrations_dir: Path = MIGRATIONS_DIR) -> Config:
    """Alembic's configuration, built in code: env.py runs on `connection`, so no URL is written anywhere."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrations_config())


def head_revision() -> str:
    return _head(_scripts())


def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _scripts().walk_revisions())


def _head(scripts: ScriptDirectory) -> str:
    head = scripts.get_current_head()
    assert head is not None, f"{scripts.dir} holds no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database; None for a new database and for one made before migrations."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_database(engine: Engine) -> Upgrade:
    """Create a new database, or bring an existing one to the newest revision; one at the newest is left alone.

    A database made before migrations (studio tables, no revision) is checked against revision 0001 and
    stamped with it first. Everything happens in one transaction under a lock, so processes that start
    together (server and worker) wait for each other instead of racing to create the same tables.
    """
    head = head_revision()
    with engine.connect() as connection, connection.begin():
        _lock(connection)
        before = _recorded_revision(connection, head)
        if before != head:
            command.upgrade(migrations_config(connection), "head")
    return Upgrade(before, head)


def _lock(connection: Connection) -> None:
    """Make every other starting process wait until this transaction ends (on the two databases the studio runs on)."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # SQLite's own write lock, held to the commit: no lock file to leave behind, and the migration is
        # atomic (SQLite's DDL is transactional). Another process waits here up to the busy timeout.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        # Released by the commit; PostgreSQL's DDL is transactional too, so a failed upgrade leaves nothing.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": POSTGRES_LOCK_KEY})


def _recorded_revision(connection: Connection, head: str) -> str | None:
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None:
        if not _is_release_database(connection):
            return None
        command.stamp(migrations_config(connection), RELEASE_REVISION)
        return RELEASE_REVISION
    if revision not in known_revisions():
        raise DatabaseNewerThanStudioError(
            f"This database was upgraded by a newer studio (revision {revision}); upgrade the studio "
            f"(this one knows revisions up to {head}).",
            revision=revision,
        )
    return revision


def _table_columns(connection: Connection) -> dict[str, frozenset[str]]:
    inspector = inspect(connection)
    return {
        table: frozenset(column["name"] for column in inspector.get_columns(table))
        for table in inspector.get_table_names()
        if table != VERSION_TABLE
    }


@cache
def _release_table_columns() -> dict[str, frozenset[str]]:
    """The tables and columns of revision 0001, read from a scratch database the revision itself creates."""
    scratch = create_engine("sqlite://")
    try:
        with scratch.connect() as connection, connection.begin():
            command.upgrade(migrations_config(connection), RELEASE_REVISION)
            return _table_columns(connection)
    finally:
        scratch.dispose()


def _is_release_database(connection: Connection) -> bool:
    """True for the studio's tables as the release before migrations made them; False when it has none of them."""
    release = _release_table_columns()
    found = {table: columns for table, columns in _table_columns(connection).items() if table in release}
    if not found:
        return False  # a new database (tables of other applications, if any, stay untouched)
    if found == release:
        return True
    differences = [f"table {table} is missing" for table in sorted(release.keys() - found.keys())]
    for table in sorted(found):
        missing, unexpected = release[table] - found[table], found[table] - release[table]
        differences += [f"{table}.{column} is missing" for column in sorted(missing)]
        differences += [f"{table}.{column} is unexpected" for column in sorted(unexpected)]
    raise UnrecognisedDatabaseError(
        "This database has studio tables but no migration record, and they differ from the schema every "
        f"earlier studio created ({'; '.join(differences)}). Back it up, then point STUDIO_DATABASE_URL at an "
        "empty database and run `studio reindex` to rebuild the project index from the repositories."
    )


def write_revision(message: str, *, autogenerate: bool, migrations_dir: Path = MIGRATIONS_DIR) -> Path:
    """A new revision file numbered after the head; autogenerate compares the models with a scratch database at head."""
    config = migrations_config(migrations_dir=migrations_dir)
    if importlib.util.find_spec("ruff") is not None:  # a development install: format what Alembic writes
        config.set_section_option("post_write_hooks", "hooks", "ruff_fix, ruff_format")
        for hook, options in (("ruff_fix", "check --fix"), ("ruff_format", "format")):
            config.set_section_option("post_write_hooks", f"{hook}.type", "module")
            config.set_section_option("post_write_hooks", f"{hook}.module", "ruff")
            config.set_section_option("post_write_hooks", f"{hook}.options", f"{options} REVISION_SCRIPT_FILENAME")
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = create_engine(f"sqlite:///{scratch_dir}/head.db")
        try:
            with scratch.connect() as connection, connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
                script = command.revision(
                    config,
                    message=message,
                    autogenerate=autogenerate,
                    rev_id=f"{int(_head(ScriptDirectory.from_config(config))) + 1:04d}",
                )
        finally:
            scratch.dispose()
    assert script is not None and not isinstance(script, list)
    return Path(script.path)
