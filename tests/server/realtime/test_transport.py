"""The websocket transport under the Socket.IO channel, as a browser's socket meets it."""

from __future__ import annotations

import json
from collections.abc import Callable

import redis
from websockets.sync.client import connect

from tests.server.realtime.conftest import Studio
from tests.support.live_server import LiveServer
from tests.support.sockets import ProjectSocket

# python-socketio's AsyncRedisManager channel, where emits to a room reach the other server processes.
SOCKETIO_CHANNEL = "socketio"


def test_sockets_are_served_without_permessage_deflate(studio: Studio) -> None:
    # Offered deflate (as browsers and Node's socket.io-client do), the server declines: a broadcast patch would be
    # compressed once per client (server/cli.py says why).
    url = studio.server.url.replace("http://", "ws://") + "/ws/socket.io/?EIO=4&transport=websocket"
    with connect(url, compression="deflate") as socket:
        assert socket.response is not None
        assert socket.response.headers.get("Sec-WebSocket-Extensions") is None
        opened = socket.recv(timeout=10)
    assert isinstance(opened, str) and opened.startswith("0{"), opened  # the Engine.IO open packet: the socket works


def _subscribed_to_the_queue(studio: Studio) -> redis.client.PubSub:
    queue = redis.Redis.from_url(studio.redis_url).pubsub()  # type: ignore[no-untyped-call]
    queue.subscribe(SOCKETIO_CHANNEL)
    assert queue.get_message(timeout=10)["type"] == "subscribe"
    return queue


def _replies_and_a_patch(alice: ProjectSocket, watcher: ProjectSocket) -> None:
    """Replies to alice alone (a full sync, refusals, an ack) and a patch to the project's room, which `watcher`
    (another socket of the project) gets."""
    assert alice.call("client:sync_request") == {"ok": True}
    assert alice.expect("server:full_sync")["version"] == 1
    assert alice.call("client:save", {"version": 2})["ok"] is False  # refused: a server:error to alice alone
    move = {"version": 1, "node_id": "missing", "position": {"x": 1, "y": 2}}
    assert alice.call("client:update_node_position", move)["ok"] is False
    node = {"id": "a", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}}
    assert alice.call("client:add_node", {"version": 1, "node": node}) == {"ok": True, "version": 2}
    assert watcher.expect("server:graph_patch")["version"] == 2


def test_a_lone_server_process_keeps_its_events_off_the_redis_queue(studio: Studio) -> None:
    # No other server process holds a socket to publish to (server/realtime/roster.py): not even the patch to the
    # room goes through the queue, a Redis round trip saved on every edit.
    queue = _subscribed_to_the_queue(studio)
    alice, watcher = studio.socket().connect(), studio.socket().connect()
    try:
        _replies_and_a_patch(alice, watcher)
        assert queue.get_message(timeout=1) is None
    finally:
        alice.close()
        watcher.close()
        queue.close()


def test_beside_another_server_process_patches_go_through_the_queue_and_replies_do_not(
    studio: Studio, second_server: Callable[..., LiveServer]
) -> None:
    # A full sync carries the whole graph: through the queue every server process would parse it only to drop it.
    other = second_server(studio)
    queue = _subscribed_to_the_queue(studio)
    alice = studio.socket().connect()
    watcher = ProjectSocket(other.url, studio.tokens["alice"], studio.project_id).connect()  # on the other process
    try:
        _replies_and_a_patch(alice, watcher)
        # Published after every reply above was sent: what was published for those is on the channel before it.
        published: list[str] = []
        while "server:graph_patch" not in published and (message := queue.get_message(timeout=10)) is not None:
            published.append(json.loads(message["data"])["event"])
        assert published == ["server:graph_patch"]
    finally:
        alice.close()
        watcher.close()
        queue.close()
