"""Keeps every open socket's access current: a removed member, a lowered role, a changed password or an
expired token reaches the user's live sockets within seconds, in every server process.

A change is published on a Redis channel that every server process listens to; each process re-checks
its own sockets against the database. A periodic sweep re-checks them all, which
catches expired tokens and changes made where no Redis was reachable (e.g. `studio users passwd`)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

import redis
import redis.asyncio
import socketio
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.models.ws_events import Level, ServerNotification
from server.auth.sessions import signed_in_user
from server.auth.tokens import AccessClaims
from server.db.tables import Role
from server.errors import AuthenticationError
from server.events import event_name, wire_payload
from server.projects.roles import current_roles

log = logging.getLogger(__name__)

CHANNEL = "studio:access-changes"
RECONNECT_DELAY_S = 1.0


@dataclass(frozen=True)
class Peer:
    """Who is behind a socket, from its connect: the account, the token it showed, the project and role."""

    user_id: int
    username: str
    project_id: str
    role: Role
    claims: AccessClaims
    is_admin: bool  # at the connect: its socket then also hears the studio's own tasks (model pulls)


@dataclass(frozen=True)
class Verdict:
    code: str  # server:notification code: access_changed keeps the socket; the others close it
    message: str
    role: Role | None = None


class AccessChangePublisher:
    """AccessChanges for any process (a server, the CLI): published on the channel every server listens to."""

    def __init__(self, redis_url: str) -> None:
        self._redis = redis.Redis.from_url(redis_url)

    def changed(self, user_id: int, project_id: str | None = None) -> None:
        self._redis.publish(CHANNEL, json.dumps({"user_id": user_id, "project_id": project_id}))


class AccessWatch:
    def __init__(self, sio: socketio.AsyncServer, engine: Engine, redis_url: str | None, interval_s: float) -> None:
        self.sio = sio
        self.engine = engine
        self.interval_s = interval_s
        self._redis_url = redis_url
        self._publisher = AccessChangePublisher(redis_url) if redis_url else None
        self._peers: dict[str, Peer] = {}

    # -- this process's sockets ----------------------------------------------------------------------

    def watch(self, sid: str, peer: Peer) -> None:
        self._peers[sid] = peer

    def forget(self, sid: str) -> None:
        self._peers.pop(sid, None)

    def peer(self, sid: str) -> Peer:
        peer = self._peers.get(sid)
        if peer is None:
            raise AuthenticationError("This socket is closing; connect again.")
        return peer

    # -- publishing (AccessChanges; callable from any thread) ----------------------------------------

    def changed(self, user_id: int, project_id: str | None = None) -> None:
        """Every server process, this one included, hears it on the channel. Without Redis (never under
        `studio up`, which always has one) or while it is unreachable, the next sweep finds the change."""
        if self._publisher is None:
            return
        try:
            self._publisher.changed(user_id, project_id)
        except redis.RedisError as exc:
            log.warning("access change of user %s not published (%s); the sweep applies it", user_id, exc)

    # -- acting --------------------------------------------------------------------------------------

    async def run(self) -> None:
        """Until cancelled: listen for published changes and sweep every `interval_s`."""
        await asyncio.gather(self._sweep_forever(), self._listen_forever())

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.interval_s)
            try:
                await self.recheck()
            except Exception:
                log.exception("re-checking the open sockets' access failed; trying again in %s s", self.interval_s)

    async def _listen_forever(self) -> None:
        if self._redis_url is None:
            return
        while True:
            try:
                async with redis.asyncio.Redis.from_url(self._redis_url) as client, client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            change = json.loads(message["data"])
                            await self.recheck(change["user_id"], change["project_id"])
            except (redis.RedisError, OSError) as exc:
                log.warning("access changes: Redis channel lost (%s); the sweep covers it until it is back", exc)
                await asyncio.sleep(RECONNECT_DELAY_S)

    async def recheck(self, user_id: int | None = None, project_id: str | None = None) -> None:
        """Re-check the sockets of `user_id` (in `project_id`), or every socket of this process."""
        peers = {
            sid: peer
            for sid, peer in self._peers.items()
            if user_id in (None, peer.user_id) and project_id in (None, peer.project_id)
        }
        if not peers:
            return
        verdicts = await asyncio.to_thread(self._judge, peers)
        for sid, verdict in verdicts.items():
            level = Level.warning if verdict.role else Level.error
            notice = ServerNotification(level=level, code=verdict.code, message=verdict.message)
            await self.sio.emit(event_name(notice), wire_payload(notice), to=sid)
            if verdict.role is None:
                self.forget(sid)
                await self.sio.disconnect(sid)
            elif sid in self._peers:
                self._peers[sid] = replace(self._peers[sid], role=verdict.role)

    def _judge(self, peers: dict[str, Peer]) -> dict[str, Verdict]:
        """What must happen to each socket whose access is no longer what it connected with."""
        verdicts: dict[str, Verdict] = {}
        with Session(self.engine) as session:
            roles = current_roles(session, _pairs(peers.values()))
            for sid, peer in peers.items():
                try:
                    signed_in_user(session, peer.claims)
                except AuthenticationError as exc:
                    verdicts[sid] = Verdict("signed_out", exc.message)
                    continue
                role = roles.get((peer.project_id, peer.user_id))
                if role is None:
                    verdicts[sid] = Verdict(
                        "access_revoked",
                        "You no longer have access to this project; ask its owner to share it with you again.",
                    )
                elif role is not peer.role:
                    what = "can edit it" if role is not Role.VIEWER else "can watch it but not change it"
                    verdicts[sid] = Verdict(
                        "access_changed", f"You are now a {role.value} of this project and {what}.", role
                    )
        return verdicts


def _pairs(peers: Iterable[Peer]) -> set[tuple[str, int]]:
    return {(peer.project_id, peer.user_id) for peer in peers}
