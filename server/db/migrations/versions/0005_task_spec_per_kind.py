"""Tasks keep their queue and one typed spec per kind instead of the shared `dispatch` JSON.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

`dispatch` held two shapes (a generation's placement, or a render's target plus its queue). From here on a task
has a `queue` column and a `spec` whose shape its `kind` decides (server.jobs): a generation's placement, plan
steps and take folders; a render's sequence and output path. What a release task never stored (a generation's
plan, a render's sequence) cannot be rebuilt: finished tasks keep their placement or target with an empty plan or
sequence, and tasks still queued or running fail with a sentence (start them again after the upgrade). The
shapes are frozen here, not imported, because the spec models will change after this revision.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GENERATE = "tasks.shots.generate"
RENDER = "tasks.assembly.render_final_video"
UNFINISHED = ("queued", "running")
UPGRADED = "The studio was upgraded before this task finished; start it again."
PLACEMENT_FIELDS = ("pipeline_id", "quality_requested", "quality_used", "queue", "fallback", "waiting_for")

TASKS = sa.table(
    "tasks",
    sa.column("id", sa.String()),
    sa.column("node_id", sa.String()),
    sa.column("kind", sa.String()),
    sa.column("state", sa.String()),
    sa.column("dispatch", sa.Text()),
    sa.column("queue", sa.String()),
    sa.column("spec", sa.JSON()),
    sa.column("error", sa.Text()),
    sa.column("finished_at", sa.DateTime(timezone=True)),
)


def _dispatch(raw: str | None) -> dict[str, Any]:
    try:
        found = json.loads(raw or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def _spec(kind: str, node_id: str | None, dispatch: dict[str, Any], queue: str) -> dict[str, Any]:
    if kind == RENDER:
        sequence: dict[str, Any] = {"node_id": dispatch.get("sequence_node_id") or node_id or "sequence", "fps": 24,
                    "clips": [], "transitions": [], "titles": [], "audio": []}  # fmt: skip
        return {"kind": RENDER, "sequence": sequence, "output_path": str(dispatch.get("output_path") or "")}
    tier = queue.removeprefix("gpu.")
    requested = str(dispatch.get("quality_requested") or "unknown")
    placement = {
        "pipeline_id": str(dispatch.get("pipeline_id") or dispatch.get("pipeline") or "unknown"),
        "quality_requested": requested,
        "quality_used": str(dispatch.get("quality_used") or requested),
        "queue": queue,
        "vram_gb": float(tier) if tier.isdigit() else 0.0,  # the tier's size: the release kept no need
        "fallback": dispatch.get("fallback"),
        "waiting_for": dispatch.get("waiting_for"),
    }
    return {"kind": GENERATE, "placement": placement, "steps": [], "slots": {}}


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch:
        batch.add_column(sa.Column("queue", sa.String(32), nullable=True))
        batch.add_column(sa.Column("spec", sa.JSON(), nullable=True))
    connection = op.get_bind()
    now = datetime.now(UTC)
    for row in connection.execute(
        sa.select(TASKS.c.id, TASKS.c.node_id, TASKS.c.kind, TASKS.c.state, TASKS.c.dispatch)
    ):
        dispatch = _dispatch(row.dispatch)
        queue = str(dispatch.get("queue") or "cpu")
        values: dict[str, Any] = {"queue": queue, "spec": _spec(row.kind, row.node_id, dispatch, queue)}
        if row.state in UNFINISHED:
            values.update(state="failed", error=UPGRADED, finished_at=now)
        connection.execute(TASKS.update().where(TASKS.c.id == row.id).values(values))
    with op.batch_alter_table("tasks") as batch:
        batch.alter_column("queue", existing_type=sa.String(32), nullable=False)
        batch.alter_column("spec", existing_type=sa.JSON(), nullable=False)
        batch.drop_column("dispatch")


def downgrade() -> None:
    # Recreated (on PostgreSQL too), so `dispatch` is back in the release's column order.
    with op.batch_alter_table("tasks", recreate="always") as batch:
        batch.add_column(sa.Column("dispatch", sa.Text(), nullable=True), insert_after="user_id")
    connection = op.get_bind()
    for row in connection.execute(sa.select(TASKS.c.id, TASKS.c.queue, TASKS.c.spec)):
        spec = row.spec if isinstance(row.spec, dict) else json.loads(row.spec)
        if spec.get("kind") == RENDER:
            dispatch = {"queue": row.queue, "sequence_node_id": spec["sequence"]["node_id"],
                        "output_path": spec["output_path"]}  # fmt: skip
        else:
            dispatch = {name: spec["placement"].get(name) for name in PLACEMENT_FIELDS}
        connection.execute(TASKS.update().where(TASKS.c.id == row.id).values(dispatch=json.dumps(dispatch)))
    with op.batch_alter_table("tasks") as batch:
        batch.alter_column("dispatch", existing_type=sa.Text(), nullable=False)
        batch.drop_column("spec")
        batch.drop_column("queue")
