"""Queue control: the studio's own order of queued tasks, where each ran, and a project's paused queue.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30

Existing tasks take their creation order as their position (microseconds since the epoch, as new tasks get).
"""

from __future__ import annotations

from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TASKS = sa.table(
    "tasks",
    sa.column("id", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("position", sa.BigInteger()),
)


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("queue_paused_by", sa.String(64), nullable=True))
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("position", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("ticket", sa.String(36), nullable=True))
        batch.add_column(sa.Column("worker", sa.String(128), nullable=True))
        batch.add_column(sa.Column("gpu", sa.String(128), nullable=True))
    connection = op.get_bind()
    for row in connection.execute(sa.select(TASKS.c.id, TASKS.c.created_at)):
        created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)  # SQLite: naive UTC
        position = int(created.timestamp() * 1_000_000)
        connection.execute(TASKS.update().where(TASKS.c.id == row.id).values(position=position))
    with op.batch_alter_table("tasks") as batch:
        batch.alter_column("position", existing_type=sa.BigInteger(), nullable=False)
        batch.create_index("ix_tasks_position", ["position"])


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.drop_index("ix_tasks_position")
        batch.drop_column("gpu")
        batch.drop_column("worker")
        batch.drop_column("ticket")
        batch.drop_column("position")
    # A plain DROP COLUMN (SQLite 3.35+), not a batch: copying `projects` would drop the old table, and with
    # foreign keys on, that deletes every task of every project (ON DELETE CASCADE).
    op.drop_column("projects", "queue_paused_by")
