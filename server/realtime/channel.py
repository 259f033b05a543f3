"""Socket.IO handlers of the project channel: authorised connects, validated edits, acks after durability."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import orjson
import socketio
from celery import Celery
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.models.graph_ops import GraphOp
from server.assembly.service import AssemblyService
from server.auth.tokens import user_id_from_token
from server.config import Settings
from server.db.tables import Project, User
from server.errors import AuthenticationError, InvalidInputError, StudioError, VersionConflictError
from server.events import EventSink, ServerEvent
from server.generation.service import GenerationService
from server.projects.graph_ops import ops_json
from server.projects.service import GraphEdit, ProjectService
from server.realtime.autosave import AutosaveScheduler
from server.realtime.payloads import GRAPH_EDITS, ClientEvent, to_ops, validated
from server.realtime.sink import project_room
from server.system.git_lfs import GitLfsStatus

log = logging.getLogger(__name__)
Ack = dict[str, Any]


@dataclass(frozen=True)
class Peer:
    """Who is behind a socket: kept in the Socket.IO session at connect."""

    user_id: int
    username: str
    project_id: str


class ProjectChannel:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        engine: Engine,
        settings: Settings,
        git_lfs: GitLfsStatus,
        events: EventSink,
        celery: Celery | None,
    ) -> None:
        self.sio = sio
        self.engine = engine
        self.settings = settings
        self.git_lfs = git_lfs
        self.events = events
        self.celery = celery
        self.autosave = AutosaveScheduler(settings.autosave_seconds, self._autosave)
        # Edits of one project are applied and broadcast one at a time, so patches leave in version order.
        self._edit_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last_editor: dict[str, str] = {}
        sio.on("connect", self.connect)
        sio.on("*", self.dispatch)

    # -- connecting ----------------------------------------------------------------------------------

    async def connect(self, sid: str, _environ: dict[str, Any], auth: Any) -> None:
        if (
            not isinstance(auth, dict)
            or not isinstance(auth.get("token"), str)
            or not isinstance(auth.get("project_id"), str)
        ):
            raise socketio.exceptions.ConnectionRefusedError(
                "Connect with auth {token, project_id}: a token from POST /auth/token and the project's id."
            )
        try:
            peer = await asyncio.to_thread(self._authorise, auth["token"], auth["project_id"])
        except StudioError as exc:
            raise socketio.exceptions.ConnectionRefusedError(exc.message) from exc
        await self.sio.save_session(sid, {"peer": peer})
        await self.sio.enter_room(sid, project_room(peer.project_id))

    def _authorise(self, token: str, project_id: str) -> Peer:
        with Session(self.engine, expire_on_commit=False) as session:
            user = session.get(User, user_id_from_token(token, self.settings))
            if user is None or user.id is None:
                raise AuthenticationError("The account this token belongs to no longer exists; sign in again.")
            self._service(session).open(user, project_id)
            return Peer(user.id, user.username, project_id)

    def _service(self, session: Session) -> ProjectService:
        return ProjectService(session, self.settings, self.git_lfs, self.events)

    # -- events --------------------------------------------------------------------------------------

    async def dispatch(self, event: str, sid: str, *args: Any) -> Ack:
        """Every client event arrives here; whatever it carries, the sender gets an ack and never a crash."""
        try:
            client_event = ClientEvent(event)
        except ValueError:
            return await self._refuse(
                sid,
                event,
                InvalidInputError(
                    f"Unknown event '{event[:80]}'; the events are listed in schemas/ws-events.schema.json."
                ),
            )
        try:
            if len(args) > 1:
                raise InvalidInputError(f"{event} takes one payload object, not {len(args)} arguments.")
            payload = validated(client_event, args[0] if args else {})
            peer: Peer = (await self.sio.get_session(sid))["peer"]
            if client_event in GRAPH_EDITS:
                return await self._edit(sid, peer, payload["version"], to_ops(client_event, payload))
            if client_event is ClientEvent.SYNC_REQUEST:
                await self.sio.emit(ServerEvent.FULL_SYNC.value, await self._full_sync(peer), to=sid)
                return {"ok": True}
            if client_event is ClientEvent.SAVE:
                commit = await asyncio.to_thread(self._checkpoint, peer.project_id, peer.username, "canvas: save")
                return {"ok": True, "commit": commit}
            if client_event is ClientEvent.START_GENERATION:
                task_id = await asyncio.to_thread(self._start_generation, peer, payload["node_id"])
                return {"ok": True, "task_id": task_id}
            if client_event is ClientEvent.RENDER_FINAL_SEQUENCE:
                task_id = await asyncio.to_thread(self._render_final, peer, payload["node_id"])
                return {"ok": True, "task_id": task_id}
            raise InvalidInputError(f"{event} is not available on this server yet.")
        except VersionConflictError as exc:
            current = exc.details["current_version"]
            await self.sio.emit(ServerEvent.CONFLICT.value, {"version": current, "message": exc.message}, to=sid)
            return {"ok": False, "error": {"code": exc.code, "message": exc.message}, "version": current}
        except StudioError as exc:
            return await self._refuse(sid, event, exc)
        except Exception:
            log.exception("unexpected failure handling %s", event)
            return await self._refuse(
                sid,
                event,
                StudioError("The server failed to handle this event; nothing was changed. Resync and try again."),
            )

    async def _refuse(self, sid: str, event: str, exc: StudioError) -> Ack:
        error = {"code": exc.code, "message": exc.message}
        await self.sio.emit(ServerEvent.ERROR.value, {**error, "event": event[:80]}, to=sid)
        return {"ok": False, "error": error}

    async def _edit(self, sid: str, peer: Peer, version: int, ops: list[GraphOp]) -> Ack:
        async with self._edit_locks[peer.project_id]:
            edit = await asyncio.to_thread(self._apply, peer, version, ops)
            patch = {"ops": ops_json(edit.ops), "version": edit.version, "origin": sid}
            await self.sio.emit(ServerEvent.GRAPH_PATCH.value, patch, room=project_room(peer.project_id), skip_sid=sid)
        self._last_editor[peer.project_id] = peer.username
        self.autosave.touch(peer.project_id)
        return {"ok": True, "version": edit.version}

    def _apply(self, peer: Peer, version: int, ops: list[GraphOp]) -> GraphEdit:
        with Session(self.engine, expire_on_commit=False) as session:
            user = session.get(User, peer.user_id)
            if user is None:
                raise AuthenticationError("Your account no longer exists.")
            return self._service(session).apply_ops(user, peer.project_id, version, ops)

    async def _full_sync(self, peer: Peer) -> dict[str, Any]:
        def read() -> dict[str, Any]:
            with Session(self.engine, expire_on_commit=False) as session:
                user = session.get(User, peer.user_id)
                if user is None:
                    raise AuthenticationError("Your account no longer exists.")
                project = self._service(session).open(user, peer.project_id).project
                # The stored JSON goes into the packet as it is: no parse and re-serialise of a large graph.
                return {"graph": orjson.Fragment(project.graph), "version": project.version}

        return await asyncio.to_thread(read)

    def _start_generation(self, peer: Peer, node_id: str) -> str:
        if self.celery is None:
            raise InvalidInputError("Generation needs Redis and a worker: start the studio with `studio up`.")
        with Session(self.engine, expire_on_commit=False) as session:
            user = session.get(User, peer.user_id)
            if user is None:
                raise AuthenticationError("Your account no longer exists.")
            generation = GenerationService(session, self.settings, self._service(session), self.celery, self.events)
            return generation.start(user, peer.project_id, node_id).id

    def _render_final(self, peer: Peer, node_id: str) -> str:
        with Session(self.engine, expire_on_commit=False) as session:
            user = session.get(User, peer.user_id)
            if user is None:
                raise AuthenticationError("Your account no longer exists.")
            assembly = AssemblyService(session, self._service(session), self.events, self.celery)
            return assembly.start_render(user, peer.project_id, node_id).id

    # -- checkpoints ---------------------------------------------------------------------------------

    def _checkpoint(self, project_id: str, username: str, message: str) -> str | None:
        with Session(self.engine, expire_on_commit=False) as session:
            project = session.get(Project, project_id)
            if project is None:
                return None
            return self._service(session).checkpoint_canvas(project, username, message)

    async def _autosave(self, project_id: str) -> None:
        username = self._last_editor.get(project_id, "studio")
        try:
            await asyncio.to_thread(self._checkpoint, project_id, username, "canvas: autosave")
        except StudioError as exc:
            log.error("autosave of %s failed: %s", project_id, exc.message)
