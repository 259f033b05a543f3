"""Revocable sessions and scoped, expiring personal access tokens.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

users.token_generation: carried in every access token; a password change or "sign out everywhere" bumps it.
access_tokens.scope: "read" or "write"; tokens made before could push, so they keep "write".
access_tokens.expires_at: tokens made before expire EXISTING_TOKEN_DAYS after this upgrade.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EXISTING_TOKEN_DAYS = 90  # frozen here: the configured default may change later


def upgrade() -> None:
    # Plain ADD COLUMN on both backends: a batch copy of `users` would trip SQLite's foreign keys. The
    # server defaults stay: they are what the rows that exist now get.
    op.add_column("users", sa.Column("token_generation", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("access_tokens", sa.Column("scope", sa.String(length=5), nullable=False, server_default="write"))
    op.add_column("access_tokens", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    expiry = datetime.now(UTC) + timedelta(days=EXISTING_TOKEN_DAYS)
    access_tokens = sa.table("access_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(access_tokens.update().values(expires_at=expiry))
    with op.batch_alter_table("access_tokens") as tokens:  # copies the table on SQLite; nothing refers to it
        tokens.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): a batch copy of `users` would trip SQLite's foreign keys.
    op.drop_column("access_tokens", "expires_at")
    op.drop_column("access_tokens", "scope")
    op.drop_column("users", "token_generation")
