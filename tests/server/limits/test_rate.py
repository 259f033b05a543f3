"""Rate-limit counters: one hit or many at once, in this process and in Redis (shared by the server processes)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from server.limits.rate import Counters, MemoryCounters, RedisCounters, Window, hit_each
from server.system.embedded_redis import EmbeddedRedis

WINDOW = Window(limit=3, seconds=60)


@pytest.fixture(params=["memory", "redis"])
def counters(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Counters]:
    if request.param == "memory":
        yield MemoryCounters()
        return
    with EmbeddedRedis(tmp_path / "redis") as server:
        yield RedisCounters(server.url)


def test_many_hits_count_as_that_many_single_hits(counters: Counters) -> None:
    assert counters.hit("a", WINDOW)[0] == 1
    assert counters.hit("a", WINDOW, 4)[0] == 5
    assert counters.hit("b", WINDOW, 2)[0] == 2  # another key, its own count
    hits, ends_in = counters.count("a", WINDOW)
    assert hits == 5 and 1 <= ends_in <= 60


def test_a_batch_numbers_each_hit_as_one_by_one_hits_would(counters: Counters) -> None:
    counters.hit("alice", WINDOW)
    numbered = hit_each(counters, ["alice", "bob", "alice", "alice", "bob"], WINDOW)
    assert [hit for hit, _ in numbered] == [2, 1, 3, 4, 2]
    assert all(1 <= ends_in <= 60 for _, ends_in in numbered)
    # The next batch goes on from there.
    assert [hit for hit, _ in hit_each(counters, ["bob", "alice"], WINDOW)] == [3, 5]
    assert counters.count("alice", WINDOW)[0] == 5 and counters.count("bob", WINDOW)[0] == 3
    assert hit_each(counters, [], WINDOW) == []
