"""The websocket transport under the Socket.IO channel, as a browser's socket meets it."""

from __future__ import annotations

from websockets.sync.client import connect

from tests.server.realtime.conftest import Studio


def test_sockets_are_served_without_permessage_deflate(studio: Studio) -> None:
    # Offered deflate (as browsers and Node's socket.io-client do), the server declines: a broadcast patch would be
    # compressed once per client (server/cli.py says why).
    url = studio.server.url.replace("http://", "ws://") + "/ws/socket.io/?EIO=4&transport=websocket"
    with connect(url, compression="deflate") as socket:
        assert socket.response is not None
        assert socket.response.headers.get("Sec-WebSocket-Extensions") is None
        opened = socket.recv(timeout=10)
    assert isinstance(opened, str) and opened.startswith("0{"), opened  # the Engine.IO open packet: the socket works
