"""Access changes reach open sockets, in every server process: real Socket.IO clients against real uvicorn
servers sharing one database and one Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
import socketio

from tests.conftest import TEST_SECRET
from tests.server.realtime.conftest import Studio
from tests.support.factories import PASSWORD
from tests.support.live_server import LiveServer
from tests.support.sockets import ProjectSocket

BOB_ID = 2  # the realtime studio creates alice, then bob

# Only a published change can reach a socket in time: the periodic re-check is an hour away.
NO_SWEEP = {"STUDIO_ACCESS_RECHECK_S": "3600"}


def _auth(studio: Studio, user: str = "alice") -> dict[str, str]:
    return {"Authorization": f"Bearer {studio.tokens[user]}"}


def _share(studio: Studio, role: str) -> None:
    response = httpx.put(
        f"{studio.server.url}/api/v1/projects/{studio.project_id}/members",
        json={"username": "bob", "role": role},
        headers=_auth(studio),
    )
    assert response.status_code == 200, response.text


def _add_node(socket: ProjectSocket, node_id: str) -> dict[str, Any]:
    sync = socket.call("client:sync_request")
    assert sync == {"ok": True}, sync
    version = socket.expect("server:full_sync")["version"]
    node = {"id": node_id, "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}}
    ack: dict[str, Any] = socket.call("client:add_node", {"version": version, "node": node})
    return ack


def _closed(socket: ProjectSocket, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while socket.client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    return not socket.client.connected


def _notice(socket: ProjectSocket) -> dict[str, Any]:
    notice: dict[str, Any] = socket.expect("server:notification", timeout=15)
    return notice


def _remove_bob_who_hears_no_more(studio: Studio, bob: ProjectSocket, alice: ProjectSocket) -> None:
    """Alice removes bob from the project: his socket is told and closed, and gets none of the edits after."""
    removed = httpx.delete(
        f"{studio.server.url}/api/v1/projects/{studio.project_id}/members/bob", headers=_auth(studio)
    )
    assert removed.status_code == 204
    assert _notice(bob)["code"] == "access_revoked"
    assert _closed(bob)
    assert _add_node(alice, "after")["ok"]
    time.sleep(0.5)
    assert not [e for e, _ in bob.drain() if e in ("server:graph_patch", "server:full_sync")]


def test_a_removed_member_is_disconnected_in_another_server_process(
    studio_factory: Callable[..., Studio], second_server: Callable[..., LiveServer]
) -> None:
    studio = studio_factory(**NO_SWEEP)
    _share(studio, "editor")
    other = second_server(studio, **NO_SWEEP)
    bob = ProjectSocket(other.url, studio.tokens["bob"], studio.project_id).connect()
    alice = studio.socket().connect()
    try:
        assert _add_node(alice, "before")["ok"]
        assert bob.expect("server:graph_patch")["ops"][0]["node"]["id"] == "before"

        _remove_bob_who_hears_no_more(studio, bob, alice)
        with pytest.raises(socketio.exceptions.ConnectionError):
            ProjectSocket(other.url, studio.tokens["bob"], studio.project_id).connect()
    finally:
        alice.close()
        bob.close()


def test_a_lowered_role_stops_edits_and_saves_at_once(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(**NO_SWEEP)
    _share(studio, "editor")
    bob = studio.socket("bob").connect()
    try:
        assert _add_node(bob, "by-bob")["ok"]
        _share(studio, "viewer")
        notice = _notice(bob)
        assert notice["code"] == "access_changed" and "viewer" in notice["message"]
        assert bob.client.connected  # a viewer may still watch

        refused = _add_node(bob, "too-late")
        assert refused["ok"] is False and refused["error"]["code"] == "permission_denied"
        saved = bob.call("client:save")
        assert saved["ok"] is False and saved["error"]["code"] == "permission_denied"
        assert [n["id"] for n in studio.get_project()["graph"]["nodes"]] == ["by-bob"]  # type: ignore[index]
    finally:
        bob.close()


def test_a_viewer_cannot_save(studio: Studio) -> None:
    _share(studio, "viewer")
    bob = studio.socket("bob").connect()
    try:
        saved = bob.call("client:save")
        assert saved["ok"] is False and "viewer" in saved["error"]["message"]
    finally:
        bob.close()


def test_a_password_change_closes_the_users_sockets(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(**NO_SWEEP)
    _share(studio, "editor")
    bob = studio.socket("bob").connect()
    try:
        changed = httpx.put(
            f"{studio.server.url}/api/v1/users/me/password",
            json={"current_password": PASSWORD, "new_password": "bobs new passphrase"},
            headers=_auth(studio, "bob"),
        )
        assert changed.status_code == 204, changed.text
        assert _notice(bob)["code"] == "signed_out"
        assert _closed(bob)
    finally:
        bob.close()


def test_studio_users_passwd_closes_sockets_of_a_running_studio(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(**NO_SWEEP)
    _share(studio, "editor")
    bob = studio.socket("bob").connect()
    try:
        env = {
            **os.environ,
            "STUDIO_WORKSPACE": str(studio.server.workspace),
            "STUDIO_REDIS_URL": studio.redis_url,
            "STUDIO_NEW_PASSWORD": "set by the admin",
        }
        done = subprocess.run(
            [sys.executable, "-m", "server", "users", "passwd", "bob"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        assert _notice(bob)["code"] == "signed_out"
        assert _closed(bob)
    finally:
        bob.close()


def test_signing_out_everywhere_closes_sockets(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(**NO_SWEEP)
    alice = studio.socket().connect()
    try:
        response = httpx.post(f"{studio.server.url}/api/v1/users/me/sign-out-everywhere", headers=_auth(studio))
        assert response.status_code == 204
        assert _notice(alice)["code"] == "signed_out"
        assert _closed(alice)
    finally:
        alice.close()


def test_a_socket_closes_when_its_token_expires(studio_factory: Callable[..., Studio]) -> None:
    studio = studio_factory(STUDIO_ACCESS_RECHECK_S="0.5")
    _share(studio, "editor")
    now = datetime.now(UTC)
    short_lived = jwt.encode(
        {"sub": str(BOB_ID), "gen": 0, "iat": now, "exp": now + timedelta(seconds=3), "typ": "access"},
        TEST_SECRET,
        algorithm="HS256",
    )
    bob = ProjectSocket(studio.server.url, short_lived, studio.project_id).connect()
    try:
        assert _notice(bob)["code"] == "signed_out"
        assert _closed(bob)
    finally:
        bob.close()


def test_events_named_connect_or_disconnect_are_refused_and_leave_the_socket_watched(
    studio_factory: Callable[..., Studio],
) -> None:
    """Socket.IO hands a client's event called "connect" or "disconnect" to the server's own connect and disconnect
    handlers: a "disconnect" sent by a member about to be removed must not make the server forget the socket (it
    would stay in the room, unwatched, and go on receiving the project's patches), nor a "connect" re-authorise it."""
    studio = studio_factory(**NO_SWEEP)
    _share(studio, "editor")
    bob = studio.socket("bob").connect()
    alice = studio.socket().connect()
    try:
        for event, args in (("disconnect", "client gone"), ("connect", ({}, {"token": "x", "project_id": "y"}))):
            ack = bob.client.call(event, args, timeout=10)
            assert ack["ok"] is False and "reserved" in ack["error"]["message"], ack
        assert bob.client.connected
        assert _add_node(bob, "still-editing")["ok"]  # bob's socket is still his, still watched
        _remove_bob_who_hears_no_more(studio, bob, alice)
    finally:
        alice.close()
        bob.close()
