"""LFS objects linked per project: the (project, oid) pairs a project may serve.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

The table starts empty. Its backfill is not here: it reads the repositories on disk (the objects each
one's history names, copied out of the shared store into the repository, then linked), which needs the
workspace and the LFS store settings that a migration does not have. The server does it at every start
(`GitHosting.backfill`, cheap once done) and before every git transfer, so a database upgraded here is
complete before its first git request is answered.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lfs_object_links",
        sa.Column("project_id", sa.String(36), nullable=False),
        sa.Column("oid", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "oid"),
    )


def downgrade() -> None:
    op.drop_table("lfs_object_links")
