"""Socket.IO handlers of the project channel: authorised connects, validated edits, acks after durability."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from itertools import groupby
from typing import Any

import orjson
import socketio
from sqlalchemy import Engine
from sqlmodel import Session

from schemas.models.graph_ops import GraphOp
from schemas.models.ws_events import (
    ServerConflict,
    ServerError,
    ServerFullSync,
    ServerGraphPatch,
    ServerGraphPatches,
)
from server.assembly.service import AssemblyService
from server.auth.sessions import signed_in_user
from server.auth.tokens import read_access_token
from server.config import Settings
from server.db.tables import Project, User
from server.errors import InvalidInputError, RateLimitedError, StudioError, VersionConflictError
from server.events import EVENT_NAMES, EventSink, ServerEvent, event_name, wire_payload
from server.generation.service import GenerationService
from server.jobs.queue import JobQueue
from server.jobs.service import TaskService
from server.limits.rate import Counters, MemoryCounters, Window, hit_each
from server.projects.graph_ops import ops_json
from server.projects.live_graph import LIVE_GRAPHS
from server.projects.service import Access, GraphEdit, ProjectService
from server.realtime.access_watch import AccessWatch, Peer
from server.realtime.autosave import AutosaveScheduler
from server.realtime.edit_batches import EditBatches
from server.realtime.payloads import GRAPH_EDITS, ClientEvent, to_ops, validated
from server.realtime.roster import ServerRoster
from server.realtime.sink import STUDIO_ROOM, project_room
from server.system.git_lfs import GitLfsStatus

log = logging.getLogger(__name__)
Ack = dict[str, Any]
# Events sent as plain data on purpose (the hot paths): edits checked on arrival, and a stored graph.
GRAPH_PATCH = EVENT_NAMES[ServerGraphPatch]
GRAPH_PATCHES = EVENT_NAMES[ServerGraphPatches]
FULL_SYNC = EVENT_NAMES[ServerFullSync]


@dataclass(frozen=True)
class SocketEdit:
    """One client event's edit: the socket it came from, who sent it, the version it was made on and its ops."""

    sid: str
    peer: Peer
    version: int
    ops: list[GraphOp]


class ProjectChannel:
    def __init__(
        self,
        sio: socketio.AsyncServer,
        engine: Engine,
        settings: Settings,
        git_lfs: GitLfsStatus,
        events: EventSink,
        jobs: JobQueue | None,
        counters: Counters,
        roster: ServerRoster,
    ) -> None:
        self.sio = sio
        self.engine = engine
        self.settings = settings
        self.git_lfs = git_lfs
        self.events = events
        self.jobs = jobs
        self.counters = counters
        self.roster = roster
        # Alone (server/realtime/roster.py), this process takes every socket edit: its own count is the whole count.
        self._lone_edit_counts = MemoryCounters()
        self.access = AccessWatch(sio, engine, settings.redis_url, settings.access_recheck_s)
        self.autosave = AutosaveScheduler(settings.autosave_seconds, self._autosave)
        # Edits of one project are applied and broadcast one batch at a time, so patches leave in version order.
        self._edits = EditBatches(self._apply_all, self._broadcast)
        self._last_editor: dict[str, str] = {}
        self._edit_rate = Window(settings.socket_edits_per_second, 1)
        sio.on("connect", self.connect)
        sio.on("disconnect", self.disconnect)
        sio.on("*", self.on_event)

    # -- connecting ----------------------------------------------------------------------------------

    async def connect(self, sid: str, _environ: Any = None, auth: Any = None, *_more: Any) -> Ack | None:
        if self._sent_as_an_event(sid):
            return await self._refuse_reserved(sid, "connect")
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
        self.access.watch(sid, peer)
        await self.sio.enter_room(sid, project_room(peer.project_id))
        if peer.is_admin:
            await self.sio.enter_room(sid, STUDIO_ROOM)
        return None

    async def disconnect(self, sid: str, _reason: Any = None, *_more: Any) -> Ack | None:
        if self._sent_as_an_event(sid):
            return await self._refuse_reserved(sid, "disconnect")
        self.access.forget(sid)
        return None

    def _sent_as_an_event(self, sid: str) -> bool:
        """Whether a connect or disconnect handler runs for a client's event of that name: Socket.IO hands such an
        event to these handlers too. Its own calls come while the socket is connecting or disconnecting, and a
        client's events only while it is connected. Unchecked, a member about to be removed could send
        "disconnect": the socket, forgotten by the access watch but still in the project's room, would go on
        receiving the project's patches after the removal."""
        return bool(self.sio.manager.is_connected(sid, "/"))

    async def _refuse_reserved(self, sid: str, event: str) -> Ack:
        return await self._refuse(
            sid,
            event,
            InvalidInputError(
                f"'{event}' is a reserved Socket.IO event name, not an event of this channel; nothing was done. "
                "The events are listed in schemas/ws-events.schema.json."
            ),
        )

    def _authorise(self, token: str, project_id: str) -> Peer:
        with Session(self.engine, expire_on_commit=False) as session:
            claims = read_access_token(token, self.settings)
            user = signed_in_user(session, claims)
            assert user.id is not None
            view = self._service(session).open(user, project_id)
            return Peer(user.id, user.username, project_id, view.role, claims, user.is_admin)

    def _service(self, session: Session) -> ProjectService:
        return ProjectService(session, self.settings, self.git_lfs, self.events, self.access)

    def _user(self, session: Session, peer: Peer) -> User:
        """The account behind `peer`, checked again on every event: a token that expired or was ended since
        the connect is refused here even before the access watch closes the socket."""
        return signed_in_user(session, peer.claims)

    # -- events --------------------------------------------------------------------------------------

    async def on_event(self, event: str, sid: str, *args: Any) -> Ack:
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
            peer = self.access.peer(sid)
            if client_event in GRAPH_EDITS:
                return await self._edit(sid, peer, payload["version"], to_ops(client_event, payload))
            if client_event is ClientEvent.SYNC_REQUEST:
                # Not a ServerFullSync model: the stored graph is spliced into the packet unparsed (see _full_sync).
                await self._to_socket(sid, FULL_SYNC, await self._full_sync(peer))
                return {"ok": True}
            if client_event is ClientEvent.SAVE:
                return {"ok": True, "commit": await asyncio.to_thread(self._save, peer)}
            if client_event is ClientEvent.START_GENERATION:
                task_id = await asyncio.to_thread(self._start_generation, peer, payload["node_id"])
                return {"ok": True, "task_id": task_id}
            if client_event is ClientEvent.RENDER_FINAL_SEQUENCE:
                task_id = await asyncio.to_thread(self._render_final, peer, payload["node_id"])
                return {"ok": True, "task_id": task_id}
            raise InvalidInputError(f"{event} is not available on this server yet.")
        except RateLimitedError as exc:
            return {**(await self._refuse(sid, event, exc)), "retry_after_s": exc.retry_after_s}
        except VersionConflictError as exc:
            current = exc.details["current_version"]
            await self._send(sid, ServerConflict(version=current, message=exc.message))
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
        await self._send(sid, ServerError(code=exc.code, message=exc.message, event=event[:80]))
        return {"ok": False, "error": {"code": exc.code, "message": exc.message}}

    async def _send(self, sid: str, event: ServerEvent) -> None:
        await self._to_socket(sid, event_name(event), wire_payload(event))

    async def _to_socket(self, sid: str, event: str, data: Any) -> None:
        # `sid` is a socket of this process, which the emit reaches directly: through the Redis queue the
        # other server processes would only read it and drop it (for a full sync, parse a whole graph to drop it).
        await self.sio.emit(event, data, to=sid, ignore_queue=True)

    async def _edit(self, sid: str, peer: Peer, version: int, ops: list[GraphOp]) -> Ack:
        edit = await self._edits.submit(peer.project_id, SocketEdit(sid, peer, version, ops))
        self._last_editor[peer.project_id] = peer.username
        self.autosave.touch(peer.project_id)
        return {"ok": True, "version": edit.version}

    def _apply_all(self, edits: list[SocketEdit]) -> list[GraphEdit | Exception]:
        """Each edit on its own (checked, applied, committed), in order; a refused one is its exception. The
        batch's edits are counted against their senders' rate limit together: one Redis round trip per sender,
        not one per edit (under a flood of edits those round trips were a fifth of the server's time), and none
        while this process is the only server process."""
        keys = [f"socket-edits:{edit.peer.user_id}" for edit in edits]
        counters = self._lone_edit_counts if self.roster.alone() else self.counters
        outcomes: list[GraphEdit | Exception] = []
        for edit, (hit, retry_after) in zip(edits, hit_each(counters, keys, self._edit_rate), strict=True):
            if hit > self._edit_rate.limit:
                outcomes.append(self._over_rate(retry_after))
                continue
            try:
                outcomes.append(self._apply(edit))
            except Exception as exc:
                outcomes.append(exc)
        return outcomes

    def _over_rate(self, retry_after_s: int) -> RateLimitedError:
        return RateLimitedError(
            f"You sent more than {self._edit_rate.limit} edits in one second (STUDIO_SOCKET_EDITS_PER_SECOND); "
            "this one was not applied. Send changes in batches (client:apply_ops) and resync.",
            retry_after_s=retry_after_s,
        )

    def _apply(self, edit: SocketEdit) -> GraphEdit:
        peer = edit.peer
        with Session(self.engine, expire_on_commit=False) as session:
            return self._service(session).apply_socket_ops(peer.claims, peer.project_id, edit.version, edit.ops)

    async def _broadcast(self, project_id: str, applied: list[tuple[SocketEdit, GraphEdit]]) -> None:
        """The patches to every other socket of the project: one message per run of edits by one socket."""
        room = project_room(project_id)
        for sid, run in groupby(applied, key=lambda pair: pair[0].sid):
            # The ops were checked against the schema on arrival: sent on as they are (the hot path of editing).
            patches = [{"ops": ops_json(edit.ops), "version": edit.version, "origin": sid} for _, edit in run]
            if len(patches) == 1:
                await self.sio.emit(GRAPH_PATCH, patches[0], room=room, skip_sid=sid)
            else:
                await self.sio.emit(GRAPH_PATCHES, {"patches": patches}, room=room, skip_sid=sid)

    def _save(self, peer: Peer) -> str | None:
        with Session(self.engine, expire_on_commit=False) as session:
            projects = self._service(session)
            project = projects.open(self._user(session, peer), peer.project_id, Access.WRITE).project
            return projects.checkpoint_canvas(project, peer.username, "canvas: save")

    async def _full_sync(self, peer: Peer) -> dict[str, Any]:
        def read() -> dict[str, Any]:
            with Session(self.engine, expire_on_commit=False) as session:
                user = self._user(session, peer)
                project = self._service(session).open(user, peer.project_id).project
                # The serialised live graph goes into the packet as it is: no parse and re-serialise of a large graph.
                version, graph = LIVE_GRAPHS.read_json(session, project)
                return {"graph": orjson.Fragment(graph), "version": version}

        return await asyncio.to_thread(read)

    def _start_generation(self, peer: Peer, node_id: str) -> str:
        with Session(self.engine, expire_on_commit=False) as session:
            user = self._user(session, peer)
            projects = self._service(session)
            tasks = TaskService(session, projects, self.jobs, self.events)
            return GenerationService(session, self.settings, projects, tasks).start(user, peer.project_id, node_id).id

    def _render_final(self, peer: Peer, node_id: str) -> str:
        with Session(self.engine, expire_on_commit=False) as session:
            user = self._user(session, peer)
            projects = self._service(session)
            assembly = AssemblyService(projects, self.events, TaskService(session, projects, self.jobs, self.events))
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
