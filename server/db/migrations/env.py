"""Alembic's environment: migrations run on the connection `server.db.migrate` hands over, never on a URL.

To change a table: edit `server/db/tables.py`, run `studio db revision -m "what changed" --autogenerate`,
read and fix the new file in `versions/` (README.md next to this file says what to check), and run
`studio db upgrade`. The drift test (tests/server/db/test_models_match_migrations.py) fails until the two agree.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

from server.db import tables  # noqa: F401  (registers the tables on SQLModel.metadata)


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write SQLModel's column types as plain SQLAlchemy ones, so revisions never import sqlmodel."""
    if kind == "type" and isinstance(item, AutoString):
        return f"sa.String({item.length})" if item.length else "sa.String()"
    if kind == "type" and isinstance(item, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    # SQLite alters a column only by copying its table; batch operations do that there and plain ALTERs elsewhere.
    render_as_batch=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
