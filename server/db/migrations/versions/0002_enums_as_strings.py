"""Enums stored as their values in VARCHAR columns: PostgreSQL's native enum types are dropped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

The release schema kept the members' Python names ("SUCCEEDED"), in a native enum type on PostgreSQL.
From here on every database keeps the values ("succeeded"), which are also what the API speaks; the
name → value maps are frozen here, not imported, because the enums in tables.py will change later.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (table, column, PostgreSQL type of revision 0001, {stored name: value})
ENUM_COLUMNS = (
    ("project_members", "role", "role", {"OWNER": "owner", "EDITOR": "editor", "VIEWER": "viewer"}),
    (
        "tasks",
        "state",
        "taskstate",
        {
            "QUEUED": "queued",
            "RUNNING": "running",
            "SUCCEEDED": "succeeded",
            "FAILED": "failed",
            "CANCELLED": "cancelled",
        },
    ),
)


def _replace(table: str, column: str, mapping: dict[str, str]) -> None:
    target = sa.table(table, sa.column(column, sa.String()))
    for old, new in mapping.items():
        op.execute(target.update().where(target.c[column] == old).values({column: new}))


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, enum_type, names_to_values in ENUM_COLUMNS:
        if postgres:
            length = max(len(value) for value in names_to_values.values())
            op.alter_column(
                table,
                column,
                type_=sa.String(length),
                existing_nullable=False,
                postgresql_using=f"{column}::text",
            )
            op.execute(f"DROP TYPE {enum_type}")
        # SQLite already stored a VARCHAR of the same length: only the values change.
        _replace(table, column, names_to_values)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column, enum_type, names_to_values in ENUM_COLUMNS:
        _replace(table, column, {value: name for name, value in names_to_values.items()})
        if postgres:
            native = sa.Enum(*names_to_values, name=enum_type)
            native.create(op.get_bind())
            op.alter_column(
                table,
                column,
                type_=native,
                existing_nullable=False,
                postgresql_using=f"{column}::{enum_type}",
            )
