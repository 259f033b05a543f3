"""Live edits go to an op log: `projects.graph` becomes the snapshot at `graph_version`, `graph_op_log` the edits since.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

An edit on a 2,000-node graph rewrote about half a megabyte; now it writes the ops it applied. Every existing
graph is already whole, so it becomes the snapshot at its project's current version, with an empty log.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch copy of `projects` on SQLite would cascade its drop to
    # every table that refers to it.
    op.add_column("projects", sa.Column("graph_version", sa.Integer(), nullable=False, server_default="1"))
    op.execute("UPDATE projects SET graph_version = version")
    op.create_table(
        "graph_op_log",
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("ops", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "version"),
    )


def downgrade() -> None:
    # Folding the log needs the graph ops code, which a revision must not import: refuse rather than lose edits.
    unfolded = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM graph_op_log JOIN projects ON projects.id = graph_op_log.project_id "
                "WHERE graph_op_log.version > projects.graph_version")
    ).scalar_one()  # fmt: skip
    if unfolded:
        raise RuntimeError(
            f"{unfolded} live edits are not yet in their projects' snapshots; save every open project "
            "(client:save, or wait for autosave) with this version of the studio, then downgrade."
        )
    op.drop_table("graph_op_log")
    op.drop_column("projects", "graph_version")
