"""SQLite engines: processes that open a new database at the same moment all get it in WAL mode, none fails."""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from server.db.engine import create_db_engine

ROUNDS = 40  # without the wait for the WAL switch about one round in eight failed (three processes, 2 cores)
PROCESSES = 3


def _open_new_databases_together(paths: list[str], barrier: Barrier, results: Queue[list[str]]) -> None:
    """Each round: wait for the others, open the new database, write to it; reports the journal modes, or errors."""
    seen = []
    for path in paths:
        barrier.wait(timeout=60)
        engine = create_db_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as connection, connection.begin():
                connection.exec_driver_sql("BEGIN IMMEDIATE")  # a write held like a starting migration holds it
                connection.exec_driver_sql("CREATE TABLE IF NOT EXISTS started (pid INTEGER)")
                seen.append(connection.exec_driver_sql("PRAGMA journal_mode").scalar_one())
        except Exception as error:  # the test reports it; one failing round must not hide the others
            seen.append(f"{type(error).__name__}: {error}")
        finally:
            engine.dispose()
    results.put(seen)


def test_processes_opening_a_new_database_together_all_get_wal(tmp_path: Path) -> None:
    paths = [str(tmp_path / f"round{index}.db") for index in range(ROUNDS)]
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(PROCESSES), context.Queue()
    openers = [
        context.Process(target=_open_new_databases_together, args=(paths, barrier, results)) for _ in range(PROCESSES)
    ]
    for opener in openers:
        opener.start()
    try:
        seen = [mode for _ in openers for mode in results.get(timeout=120)]
    finally:
        for opener in openers:
            opener.join(timeout=10)
            opener.kill()
    assert seen == ["wal"] * ROUNDS * PROCESSES
