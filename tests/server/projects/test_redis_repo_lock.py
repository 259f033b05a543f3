"""The repository lock across hosts: a Redis lock whose holders carry growing fencing tokens, refused after the
timeout, renewed while held, lost by a holder that stalls past its lease (and then fenced off at push)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from server.errors import RepositoryBusyError
from server.gitserve.pre_receive import PushHookEnv, fence_problems
from server.projects.repo_lock import RedisRepoLock, RepoLock, fence_is_current, lock_key
from server.system.embedded_redis import EmbeddedRedis


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    with EmbeddedRedis(tmp_path / "redis") as server:
        yield server.url


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def test_one_holder_at_a_time_each_with_a_larger_fencing_token(client: redis.Redis) -> None:
    first = RedisRepoLock(client, None, 0.3, "Night-Train")
    with first:
        assert first.fence == 1 and fence_is_current(client, "Night-Train", 1)
        with pytest.raises(RepositoryBusyError, match="'Night-Train' is busy") as busy:
            RedisRepoLock(client, None, 0.2, "Night-Train").acquire()
        assert busy.value.details["retry_after_s"] >= 1
        with RedisRepoLock(client, None, 0.2, "Other-Film") as other:  # another project is not blocked
            assert other.fence == 1
    assert first.fence is None and not fence_is_current(client, "Night-Train", 1)
    with RedisRepoLock(client, None, 0.3, "Night-Train") as second:
        assert second.fence == 2


def test_on_the_repository_s_host_it_also_excludes_a_process_that_knows_no_redis(
    client: redis.Redis, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    path = tmp_path / ".git" / "studio.lock"
    with RepoLock(path, 0.2, "Night-Train"), pytest.raises(RepositoryBusyError):  # e.g. a `studio` command
        RedisRepoLock(client, path, 0.2, "Night-Train").acquire()
    assert not client.exists(lock_key("Night-Train"))  # the Redis half was let go again
    with RedisRepoLock(client, path, 0.2, "Night-Train"), pytest.raises(RepositoryBusyError):
        RepoLock(path, 0.1, "Night-Train").acquire()


def test_a_held_lock_outlives_its_lease_by_renewal(client: redis.Redis) -> None:
    with RedisRepoLock(client, None, 0.3, "Night-Train", lease_s=0.3) as held:
        time.sleep(0.9)  # three leases
        assert held.fence is not None and fence_is_current(client, "Night-Train", held.fence)


def test_a_stalled_holder_loses_the_lock_and_its_push_is_refused_as_stale(redis_url: str, client: redis.Redis) -> None:
    stalled = RedisRepoLock(client, None, 0.3, "Night-Train", lease_s=0.3)
    stalled.acquire()
    stalled._renewing.set()  # a holder that stopped renewing (a paused process): its lease runs out
    while client.exists(lock_key("Night-Train")):
        time.sleep(0.05)
    with RedisRepoLock(client, None, 0.3, "Night-Train") as later:
        assert later.fence == 2
        hook = PushHookEnv(Path("/nonexistent"), "sqlite://", "p1", 1, 1, redis_url, "Night-Train")
        problems = fence_problems(hook)
        assert len(problems) == 1 and "fencing token 1" in problems[0] and "stale" in problems[0]
        current = PushHookEnv(Path("/nonexistent"), "sqlite://", "p1", 1, 2, redis_url, "Night-Train")
        assert fence_problems(current) == []
        stalled.release()  # the stalled holder's release leaves the later holder's lock alone
        assert fence_is_current(client, "Night-Train", 2)
