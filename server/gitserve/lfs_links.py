"""Which LFS objects a project may serve: the (project, oid) links of the shared object store."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from server.db.tables import LfsObjectLink

# Bound parameters per statement stay well under SQLite's limit (32766) and PostgreSQL's (65535).
BATCH = 500


def link(session: Session, project_id: str, oids: Iterable[str]) -> None:
    """Record that `project_id` may serve `oids` (idempotent, safe against concurrent writers); commits."""
    wanted = sorted(set(oids))
    if not wanted:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    for start in range(0, len(wanted), BATCH):
        rows = [{"project_id": project_id, "oid": oid} for oid in wanted[start : start + BATCH]]
        session.execute(insert(LfsObjectLink).values(rows).on_conflict_do_nothing())
    session.commit()


def linked(session: Session, project_id: str, oids: Iterable[str]) -> set[str]:
    """Those of `oids` that `project_id` may serve."""
    wanted = sorted(set(oids))
    found: set[str] = set()
    for start in range(0, len(wanted), BATCH):
        statement = select(LfsObjectLink.oid).where(
            LfsObjectLink.project_id == project_id, col(LfsObjectLink.oid).in_(wanted[start : start + BATCH])
        )
        found.update(session.exec(statement))
    return found


def linked_oids(session: Session, project_id: str) -> set[str]:
    """Every object `project_id` may serve."""
    return set(session.exec(select(LfsObjectLink.oid).where(LfsObjectLink.project_id == project_id)))


def is_linked(session: Session, project_id: str, oid: str) -> bool:
    return bool(linked(session, project_id, [oid]))
