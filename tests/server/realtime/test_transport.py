"""The websocket transport under the Socket.IO channel, as a browser's socket meets it."""

from __future__ import annotations

import json

import redis
from websockets.sync.client import connect

from tests.server.realtime.conftest import Studio

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


def test_replies_to_one_socket_stay_off_the_redis_queue_that_broadcasts_take(studio: Studio) -> None:
    # A full sync carries the whole graph: through the queue every server process would parse it only to drop it.
    queue = redis.Redis.from_url(studio.redis_url).pubsub()  # type: ignore[no-untyped-call]
    queue.subscribe(SOCKETIO_CHANNEL)
    assert queue.get_message(timeout=10)["type"] == "subscribe"
    alice, bob = studio.socket().connect(), studio.socket("alice").connect()
    try:
        assert alice.call("client:sync_request") == {"ok": True}
        assert alice.expect("server:full_sync")["version"] == 1
        assert alice.call("client:save", {"version": 2})["ok"] is False  # refused: a server:error to alice alone
        move = {"version": 1, "node_id": "missing", "position": {"x": 1, "y": 2}}
        assert alice.call("client:update_node_position", move)["ok"] is False
        node = {"id": "a", "type": "ShotNode", "position": {"x": 0, "y": 0}, "data": {}}
        assert alice.call("client:add_node", {"version": 1, "node": node}) == {"ok": True, "version": 2}
        assert bob.expect("server:graph_patch")["version"] == 2
        # Published after every reply above was sent: what was published for those is on the channel before it.
        published: list[str] = []
        while "server:graph_patch" not in published and (message := queue.get_message(timeout=10)) is not None:
            published.append(json.loads(message["data"])["event"])
        # The patch to the room goes through the queue (other server processes hold sockets of the room); no reply does.
        assert published == ["server:graph_patch"]
    finally:
        alice.close()
        bob.close()
        queue.close()
