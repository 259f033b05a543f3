"""Worker tokens: access_tokens.scope may hold "worker" (six characters; the column held at most five).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("access_tokens") as tokens:  # copies the table on SQLite; nothing refers to it
        tokens.alter_column("scope", existing_type=sa.String(length=5), type_=sa.String(length=6))


def downgrade() -> None:
    access_tokens = sa.table("access_tokens", sa.column("scope", sa.String()))
    op.execute(access_tokens.delete().where(access_tokens.c.scope == "worker"))
    with op.batch_alter_table("access_tokens") as tokens:
        tokens.alter_column("scope", existing_type=sa.String(length=6), type_=sa.String(length=5))
