"""The server roster on a real Redis: when a server process may believe it is alone, and when it must not."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from pathlib import Path

import pytest
import redis

from server.realtime.roster import SERVER_KEY, SERVERS, ServerRoster
from server.system.embedded_redis import EmbeddedRedis
from tests.support.event_loops import run_on_own_loop

FAST = {"poll_s": 0.05, "fresh_s": 0.15}
A_FEW_POLLS_S = 0.2


async def started(roster: ServerRoster) -> asyncio.Task[None]:
    """`roster` joined and running, as the app's startup does it."""
    await roster.join()
    running = asyncio.create_task(roster.run())
    await asyncio.sleep(A_FEW_POLLS_S)
    return running


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


def test_a_process_is_alone_until_another_joins_and_again_once_it_leaves(redis_url: str) -> None:
    async def scenario() -> None:
        first = ServerRoster(redis_url, **FAST)
        assert not first.alone()  # nothing read yet
        first_running = await started(first)
        assert first.alone()

        second = ServerRoster(redis_url, **FAST)
        await second.join()
        # Once `join` returns, the second takes sockets: the first must publish to them from then on.
        assert not first.alone()
        second_running = asyncio.create_task(second.run())
        await asyncio.sleep(A_FEW_POLLS_S)
        assert not first.alone() and not second.alone()

        await stop(second_running)  # a clean stop leaves the roster
        await asyncio.sleep(A_FEW_POLLS_S)
        assert first.alone()
        await stop(first_running)
        assert not first.alone()
        assert redis.Redis.from_url(redis_url).smembers(SERVERS) == set()

    run_on_own_loop(scenario)


def test_a_process_killed_after_registering_counts_until_its_key_expires(redis_url: str) -> None:
    shared = redis.Redis.from_url(redis_url)
    shared.set(SERVER_KEY + "killed", 1, ex=2)
    shared.sadd(SERVERS, "killed")
    registered = time.monotonic()

    async def scenario() -> None:
        survivor = ServerRoster(redis_url, **FAST)
        running = await started(survivor)
        assert not survivor.alone()
        while not survivor.alone() and time.monotonic() - registered < 10:
            await asyncio.sleep(0.05)
        assert survivor.alone()
        assert time.monotonic() - registered > 1.9  # not before the key's TTL ran out
        assert shared.smembers(SERVERS) == {survivor.id.encode()}  # dropped from the set
        await stop(running)

    run_on_own_loop(scenario)


def test_when_redis_goes_away_the_belief_runs_out_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async def scenario(redis_server: EmbeddedRedis) -> None:
        roster = ServerRoster(redis_server.url, **FAST)
        running = await started(roster)
        assert roster.alone()
        redis_server.stop()
        await asyncio.sleep(A_FEW_POLLS_S)  # failing polls: another process may have joined meanwhile
        assert not roster.alone()
        await stop(running)

    with caplog.at_level(logging.WARNING, logger="server.realtime.roster"), EmbeddedRedis(tmp_path) as redis_server:
        run_on_own_loop(lambda: scenario(redis_server))
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and "Redis is unreachable" in warnings[0], warnings


def test_a_redis_that_answers_only_after_a_first_try_still_gets_the_process_registered(tmp_path: Path) -> None:
    redis_server = EmbeddedRedis(tmp_path)  # its address is known before it runs

    async def scenario() -> None:
        roster = ServerRoster(redis_server.url, poll_s=1.0, fresh_s=0.1)
        joining = asyncio.create_task(roster.join())
        await asyncio.sleep(0.1)  # the first try found no Redis
        await asyncio.to_thread(redis_server.start)
        await joining
        assert redis.Redis.from_url(redis_server.url).smembers(SERVERS) == {roster.id.encode()}
        running = asyncio.create_task(roster.run())
        await asyncio.sleep(A_FEW_POLLS_S)
        await stop(running)  # leaves, and closes its connection

    try:
        run_on_own_loop(scenario)
    finally:
        redis_server.stop()


def test_a_process_that_cannot_reach_redis_starts_at_once_and_never_believes_it_is_alone() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # nothing listens here once the socket is closed

    async def scenario() -> None:
        roster = ServerRoster(f"redis://127.0.0.1:{port}/0", **FAST)
        began = time.monotonic()
        await roster.join()
        assert time.monotonic() - began < 5  # it does not wait to be seen by processes it cannot reach
        running = asyncio.create_task(roster.run())
        await asyncio.sleep(A_FEW_POLLS_S)
        assert not roster.alone()
        await stop(running)

    run_on_own_loop(scenario)


def test_without_redis_configured_the_process_is_alone() -> None:
    async def scenario() -> None:
        roster = ServerRoster(None)
        await roster.join()
        await roster.run()  # nothing to keep: returns at once
        assert roster.alone()

    run_on_own_loop(scenario)
