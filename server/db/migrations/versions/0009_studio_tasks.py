"""Studio tasks: a task may belong to no project (a model pull), and a queue name may hold a host's name.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as tasks:  # copies the table on SQLite; nothing refers to it
        tasks.alter_column("project_id", existing_type=sa.String(), nullable=True)
        tasks.alter_column("queue", existing_type=sa.String(length=32), type_=sa.String(length=128))


def downgrade() -> None:
    tasks = sa.table("tasks", sa.column("project_id", sa.String()), sa.column("queue", sa.String()))
    # The release knows no task outside a project, nor a queue name this long: those tasks go.
    op.execute(tasks.delete().where(tasks.c.project_id.is_(None) | (sa.func.length(tasks.c.queue) > 32)))
    with op.batch_alter_table("tasks") as batch:
        batch.alter_column("queue", existing_type=sa.String(length=128), type_=sa.String(length=32))
        batch.alter_column("project_id", existing_type=sa.String(), nullable=False)
