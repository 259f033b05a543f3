"""`studio db upgrade|current|revision`: the database schema by hand (every studio process also upgrades on start)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from server.config import Settings
from server.db.engine import create_db_engine
from server.db.migrate import (
    Upgrade,
    current_revision,
    head_revision,
    known_revisions,
    upgrade_database,
    write_revision,
)
from server.errors import StudioError

db_app = typer.Typer(help="The database schema: upgrade it, show its revision, write a new one.", no_args_is_help=True)
console = Console()
err_console = Console(stderr=True)


def _upgraded(engine: Engine) -> Upgrade:
    try:
        return upgrade_database(engine)
    except StudioError as exc:
        err_console.print(f"[bold red]error:[/] {exc.message}")
        raise typer.Exit(code=1) from exc


def open_database() -> Engine:
    """The workspace's database at the newest schema, or exit with the sentence that says why it cannot be."""
    engine = create_db_engine(Settings().resolved_database_url)
    _upgraded(engine)
    return engine


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Upgrade the database to the newest schema (the studio also does this on every start)."""
    upgrade = _upgraded(create_db_engine(Settings().resolved_database_url))
    if upgrade.before == upgrade.after:
        console.print(f"database already at revision {upgrade.after} (the newest)")
    else:
        console.print(f"database upgraded: {upgrade.before or 'new database'} → {upgrade.after}")


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision and whether it is the newest this studio knows."""
    revision = current_revision(create_db_engine(Settings().resolved_database_url))
    head = head_revision()
    if revision is None:
        console.print(f"no revision: a new database, or one made before migrations (`studio db upgrade` → {head})")
    elif revision == head:
        console.print(f"{revision} (the newest)")
    elif revision in known_revisions():
        console.print(f"{revision} (the newest is {head}: run `studio db upgrade`)")
    else:
        console.print(f"{revision} (unknown: upgraded by a newer studio; this one knows revisions up to {head})")


@db_app.command("revision")
def db_revision(
    message: Annotated[str, typer.Option("--message", "-m", help="What the revision changes, in a few words.")],
    autogenerate: Annotated[
        bool, typer.Option("--autogenerate", help="Write the operations that bring the schema to the models.")
    ] = False,
) -> None:
    """For developers in a checkout: write the next revision into server/db/migrations/versions/."""
    path = write_revision(message, autogenerate=autogenerate)
    console.print(f"wrote {path}: check it (server/db/migrations/README.md says what for), then `studio db upgrade`")
