"""The live graph of a project: the snapshot `projects.graph` (as of `graph_version`) plus the op log after it.

A live edit writes only its ops (one small row) and bumps the version, instead of rewriting the whole graph;
a checkpoint folds the log into the snapshot. Each process keeps the graphs it serves parsed and serialised
in memory (`LIVE_GRAPHS`), keyed by version, so an edit applies to the parsed graph and a full sync sends the
serialised one without parsing or rebuilding anything. A version written by another process is rebuilt from
the database on first use.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from sqlalchemy import bindparam, delete, insert, update
from sqlmodel import Session, col, select

from schemas.models.graph_ops import AddNodeOp, GraphOp, UpdateNodeDataOp
from server.db.tables import GraphOpLog, Project, utcnow
from server.errors import StudioError, VersionConflictError
from server.graph_limits import GraphLimits
from server.projects.graph_ops import EdgeIds, NodeIndex, apply_ops, edge_ids, graph_ops, node_index, ops_json

Graph = dict[str, Any]
# Graphs of up to a few MB each; a server serves few projects at once, the rest are rebuilt when opened.
CACHED_PROJECTS = 32
# Other processes may fold the log between reading the project row and reading the log (READ COMMITTED).
REBUILD_ATTEMPTS = 3
# Separators and brackets an op may add to the graph's JSON beyond the bytes of the op itself.
OP_SLACK_BYTES = 64


class ProjectHead(Protocol):
    """What the live graph needs of a project's row (a Project, or the socket edit's one-query read of it)."""

    @property
    def id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def graph_version(self) -> int: ...


@dataclass
class _Entry:
    version: int
    graph_version: int
    graph: Graph  # owned here, mutated by edits under the project's lock; never handed out
    nodes: NodeIndex  # the graph's nodes by id, kept in step by its edits: an edit walks no other node
    edges: EdgeIds  # the graph's edge ids, likewise: adding an edge walks no other edge
    serialised: bytes | None  # None once an edit changed the graph: serialised again when next read
    # At least the graph's compact JSON size: exact when serialised, raised by each edit by at most what it adds.
    size_bound: int

    def json(self) -> bytes:
        if self.serialised is None:
            self.serialised = orjson.dumps(self.graph)
            self.size_bound = len(self.serialised)
        return self.serialised


@dataclass(frozen=True)
class AppliedEdit:
    version: int
    ops: list[GraphOp]


class LiveGraphs:
    """The live graphs of one process. Thread-safe: edits and reads of one project take its lock."""

    def __init__(self, capacity: int = CACHED_PROJECTS) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def read_json(self, session: Session, project: ProjectHead) -> tuple[int, bytes]:
        """The project's version and its live graph as compact JSON."""
        with self._lock(project.id):
            entry = self._current(session, project)
            return entry.version, entry.json()

    def read(self, session: Session, project: ProjectHead) -> Graph:
        """A parsed copy of the live graph, the caller's to change."""
        parsed: Graph = orjson.loads(self.read_json(session, project)[1])
        return parsed

    def edit(
        self, session: Session, project: ProjectHead, version: int, ops: list[GraphOp], limits: GraphLimits
    ) -> AppliedEdit:
        """Apply `ops` to the graph at `version` and commit them as one log row; durable when this returns.
        Of concurrent edits on one version exactly one commits, the others get VersionConflictError."""
        with self._lock(project.id):
            entry = self._current(session, project)
            if entry.version != version:
                raise VersionConflictError(version, entry.version)
            try:
                applied = apply_ops(entry.graph, ops, entry.nodes, entry.edges)
                logged = orjson.dumps(ops_json(applied))
                # Serialising a large graph on every edit costs more than the rest of the edit: an edit grows the
                # graph's JSON by at most what its ops hold (every value it writes is in them), so the graph is
                # serialised to measure it only when that bound could pass the limit.
                entry.serialised, entry.size_bound = None, entry.size_bound + len(logged) + OP_SLACK_BYTES * len(ops)
                if entry.size_bound > limits.max_graph_bytes:
                    entry.json()
                grown = [entry.nodes[n] for n in _data_changed(ops) if n in entry.nodes]
                limits.check(entry.graph, entry.size_bound, grown)
                _append(session, project.id, version, logged.decode())
            except BaseException:
                # The graph may be half-changed: the next use rebuilds it from the database.
                self._forget(project.id)
                raise
            entry.version = version + 1
            return AppliedEdit(entry.version, applied)

    def fold(self, session: Session, project: Project) -> None:
        """Store the live graph as the snapshot and drop the log it covers (a checkpoint; off the edit path)."""
        with self._lock(project.id):
            entry = self._current(session, project)
            if entry.graph_version == entry.version:
                return
            folded = session.execute(
                update(Project)
                .where(col(Project.id) == project.id, col(Project.graph_version) == entry.graph_version)
                .values(graph=entry.json().decode(), graph_version=entry.version)
            )
            if folded.rowcount == 1:  # type: ignore[attr-defined]
                # Otherwise a whole-graph write came first: the log below it is already dropped.
                drop_log(session, project.id, through=entry.version)
                entry.graph_version = entry.version
            session.commit()
            session.refresh(project)

    def _lock(self, project_id: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(project_id, threading.Lock())

    def _forget(self, project_id: str) -> None:
        with self._guard:
            self._entries.pop(project_id, None)

    def _current(self, session: Session, project: ProjectHead) -> _Entry:
        with self._guard:
            entry = self._entries.get(project.id)
        if entry is None or (entry.version, entry.graph_version) != (project.version, project.graph_version):
            entry = self._rebuild(session, project.id)
            with self._guard:
                self._entries[project.id] = entry
                while len(self._entries) > self._capacity:
                    self._entries.popitem(last=False)
        with self._guard:
            self._entries.move_to_end(project.id)
        return entry

    def _rebuild(self, session: Session, project_id: str) -> _Entry:
        for _ in range(REBUILD_ATTEMPTS):
            title, version, graph_version, snapshot = session.exec(
                select(Project.title, Project.version, Project.graph_version, Project.graph).where(
                    Project.id == project_id
                )
            ).one()
            rows = session.exec(
                select(GraphOpLog.ops)
                .where(
                    GraphOpLog.project_id == project_id,
                    col(GraphOpLog.version) > graph_version,
                    col(GraphOpLog.version) <= version,
                )
                .order_by(col(GraphOpLog.version))
            ).all()
            if len(rows) == version - graph_version:
                graph: Graph = orjson.loads(snapshot)
                nodes, edges = node_index(graph), edge_ids(graph)
                for ops in rows:
                    apply_ops(graph, graph_ops(orjson.loads(ops)), nodes, edges)
                serialised = orjson.dumps(graph) if rows else snapshot.encode()
                return _Entry(version, graph_version, graph, nodes, edges, serialised, len(serialised))
            # Folded or replaced between the two reads (READ COMMITTED): read the row again.
        raise StudioError(f"The live graph of '{title}' kept changing while it was read; try again.")


def _data_changed(ops: list[GraphOp]) -> list[str]:
    """The nodes whose data an edit may have grown, in the order the ops name them: only those need their size
    checked again."""
    changed: dict[str, None] = {}
    for op in ops:
        if isinstance(op, AddNodeOp):
            changed[op.node.id] = None
        elif isinstance(op, UpdateNodeDataOp):
            changed[op.node_id] = None
    return list(changed)


# The edit path's two writes, built once: an ORM statement built per call costs more than SQLite takes to run it.
_PROJECTS, _LOG = Project.__table__, GraphOpLog.__table__  # type: ignore[attr-defined]
_BUMP_VERSION = (
    update(_PROJECTS)
    .where(_PROJECTS.c.id == bindparam("project_id"), _PROJECTS.c.version == bindparam("expected"))
    .values(version=bindparam("next_version"), updated_at=bindparam("now"))
)
_LOG_VERSION = insert(_LOG)


def _append(session: Session, project_id: str, version: int, ops: str) -> None:
    """Compare-and-set the version and log the ops, in one transaction."""
    connection = session.connection()
    bumped = connection.execute(
        _BUMP_VERSION, {"project_id": project_id, "expected": version, "next_version": version + 1, "now": utcnow()}
    )
    if bumped.rowcount != 1:
        session.rollback()
        current = session.exec(select(Project.version).where(Project.id == project_id)).one()
        raise VersionConflictError(version, current)
    log_version(session, project_id, version + 1, ops)
    session.commit()


def log_version(session: Session, project_id: str, version: int, ops: str = "[]") -> None:
    """Log what `version` changed in the graph: every version after the snapshot has its row (an empty list
    for a change of title or settings), so a rebuild can tell a complete log from one folded meanwhile."""
    session.connection().execute(_LOG_VERSION, {"project_id": project_id, "version": version, "ops": ops})


def drop_log(session: Session, project_id: str, through: int | None = None) -> None:
    """Delete the project's logged edits up to `through` (all of them for None: the snapshot was replaced)."""
    statement = delete(GraphOpLog).where(col(GraphOpLog.project_id) == project_id)
    if through is not None:
        statement = statement.where(col(GraphOpLog.version) <= through)
    session.execute(statement)


# One per process, like the process's database connection pool: what one thread edits, the next one reads.
LIVE_GRAPHS = LiveGraphs()
