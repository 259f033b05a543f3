"""Which server processes serve sockets, so that a process that is alone leaves Redis out of its own events.

With Redis, every event a server process emits to a room is also published there, for the sockets of the room
that other server processes hold, and every socket edit is counted there against its sender's rate limit: two
Redis round trips that were half of a socket edit's time in the server (benchmarks/realtime.py). A studio often
runs one server process (`studio up`), and then nobody can receive such a publication or send an edit elsewhere.

Each server process keeps the key studio:server:<id> alive (with a TTL, so a killed process drops out) and its id
in the set studio:servers, and reads the set every POLL_S. It believes it is alone for FRESH_S from the start of
a reading that found no other process, and no longer: `join`, run before the process takes any socket, waits
FRESH_S after registering, so every belief formed before a process registered has run out by the time its first
socket can join a room, and the patches its sockets need are published. A process that cannot reach Redis
believes nothing and publishes, as before.

Going from "not alone" to "alone" (another process stopped) cannot reorder what this process's sockets receive:
python-socketio delivers an emit to this process's sockets itself before publishing it (and drops its own
publications when they come back).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
import uuid
from typing import Any

import redis
import redis.asyncio
import socketio

log = logging.getLogger(__name__)

SERVERS = "studio:servers"
SERVER_KEY = "studio:server:"
POLL_S = 0.25
FRESH_S = 0.75  # three polls: one late or failed poll does not end the belief
TTL_S = 10  # a killed process is still counted this long: its rooms are published to meanwhile
JOIN_ATTEMPTS = 3  # a Redis that fails once at the start does not leave the process unregistered
REDIS_TIMEOUT_S = 2.0


class ServerRoster:
    def __init__(
        self, redis_url: str | None, *, poll_s: float = POLL_S, fresh_s: float = FRESH_S, ttl_s: int = TTL_S
    ) -> None:
        self.id = uuid.uuid4().hex
        # Bounded waits: a Redis that does not answer must not hold the server's start (or a poll) for minutes.
        self._redis = (
            redis.asyncio.Redis.from_url(
                redis_url, socket_connect_timeout=REDIS_TIMEOUT_S, socket_timeout=REDIS_TIMEOUT_S
            )
            if redis_url
            else None
        )
        self._poll_s, self._fresh_s, self._ttl_s = poll_s, fresh_s, ttl_s
        # Without Redis there is no other process to reach: the sockets are all here.
        self._alone_until = math.inf if self._redis is None else 0.0
        self._unreachable = False

    def alone(self) -> bool:
        """Whether no other server process can hold a socket or take a socket edit now (callable from any thread)."""
        return time.monotonic() < self._alone_until

    async def join(self) -> None:
        """Registers this process and waits until every other one has seen it: before the process takes sockets."""
        if self._redis is None:
            return
        for attempt in range(JOIN_ATTEMPTS):
            if await self._poll():
                await asyncio.sleep(self._fresh_s)
                return
            if attempt < JOIN_ATTEMPTS - 1:
                await asyncio.sleep(self._poll_s)
        # Unregistered, this process publishes all it emits; its own subscriber, on the same Redis, hears nothing
        # from the others meanwhile either. It registers at its first poll that reaches Redis.

    async def run(self) -> None:
        """Until cancelled: keeps this process on the roster and its belief current; then leaves the roster."""
        if self._redis is None:
            return
        try:
            while True:
                await self._poll()
                await asyncio.sleep(self._poll_s)
        finally:
            self._alone_until = 0.0
            with contextlib.suppress(redis.RedisError, OSError, TimeoutError):
                await asyncio.wait_for(self._leave(), timeout=2)
            await self._redis.aclose()

    async def _poll(self) -> bool:
        """Refresh this process's entry and read the others'; False when Redis could not be reached."""
        assert self._redis is not None
        started = time.monotonic()
        try:
            others = await self._others()
        except (redis.RedisError, OSError) as exc:
            if not self._unreachable:
                log.warning("server roster: Redis is unreachable (%s); every event goes through it meanwhile", exc)
            self._unreachable = True
            return False
        self._unreachable = False
        self._alone_until = 0.0 if others else started + self._fresh_s
        return True

    async def _others(self) -> list[str]:
        assert self._redis is not None
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.set(SERVER_KEY + self.id, 1, ex=self._ttl_s)
            pipe.sadd(SERVERS, self.id)
            pipe.smembers(SERVERS)
            *_, members = await pipe.execute()
        listed = [member.decode() for member in members if member.decode() != self.id]
        if not listed:
            return []
        # A process killed without leaving stays in the set; its key expires: drop it from the set.
        async with self._redis.pipeline(transaction=False) as pipe:
            for other in listed:
                pipe.exists(SERVER_KEY + other)
            found = await pipe.execute()
        gone = [other for other, exists in zip(listed, found, strict=True) if not exists]
        if gone:
            await self._redis.srem(SERVERS, *gone)
        return [other for other in listed if other not in gone]

    async def _leave(self) -> None:
        assert self._redis is not None
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.delete(SERVER_KEY + self.id)
            pipe.srem(SERVERS, self.id)
            await pipe.execute()


class RosterRedisManager(socketio.AsyncRedisManager):  # type: ignore[misc]
    """The server's Socket.IO client manager: publishes an emit through Redis only while another server process
    may hold sockets; alone, it delivers to its own sockets only (as it always did first)."""

    def __init__(self, redis_url: str, roster: ServerRoster) -> None:
        super().__init__(redis_url)
        self.roster = roster

    async def emit(self, event: str, data: Any, *args: Any, **kwargs: Any) -> Any:
        if self.roster.alone():
            kwargs["ignore_queue"] = True
        return await super().emit(event, data, *args, **kwargs)
